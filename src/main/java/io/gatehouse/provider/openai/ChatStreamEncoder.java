package io.gatehouse.provider.openai;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.pipeline.Json;
import io.gatehouse.provider.translate.StreamEncoder;
import io.gatehouse.provider.translate.StreamEvent;
import io.gatehouse.provider.translate.TokenUsage;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Writes one streamed answer as OpenAI streams a chat completion: {@code chat.completion.chunk} frames, the first
 * naming the role, then content, reasoning and tool call deltas, a frame with the finish reason, the usage frame
 * when the client asked for it, and {@code data: [DONE]}. Each frame is written straight to bytes with a
 * {@link JsonGenerator}, since this runs once per token of every translated stream.
 */
final class ChatStreamEncoder implements StreamEncoder {
    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EVENT_END = "\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);
    /** Where a delta's fields go, in a frame written once to find its head and tail: a byte JSON text never holds. */
    private static final String DELTA_MARK = "\u0000";
    private static final byte[] DELTA_MARK_BYTES = DELTA_MARK.getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CONTENT_FIELD = "\"content\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] REASONING_FIELD =
            ("\"" + ChatWire.REASONING_CONTENT + "\":\"").getBytes(StandardCharsets.US_ASCII);

    private final InstantSource clock;
    private final boolean includeUsage;
    /** What the chunks name when the provider's stream names no model (Bedrock's ConverseStream never does). */
    private final String requestedModel;
    private final ByteArrayBuilder bytes = new ByteArrayBuilder(512);

    private String id = "";
    private String model = "";
    private long created;
    private TokenUsage usage;
    private boolean over;
    /**
     * The bytes of a mid-stream frame before and after its delta's fields, fixed once the stream has started; see
     * {@link #stringDeltaFrame}.
     */
    private byte[] deltaFrameHead;
    private byte[] deltaFrameTail;
    /** OpenAI numbers tool calls 0, 1… in their own order, whatever the unified block indexes are. */
    private final Map<Integer, Integer> toolIndexByBlock = new HashMap<>();
    /** Open thinking blocks, kept whole to be sent back with their signature when they close. */
    private final Map<Integer, ThinkingBlock> thinkingByBlock = new HashMap<>();
    /** Redacted thinking blocks, which were written when they arrived: their close writes nothing. */
    private final Set<Integer> redactedBlocks = new HashSet<>();
    private int thinkingBlocksWritten;

    private static final class ThinkingBlock {
        final StringBuilder text = new StringBuilder();
        String signature;
    }

    @FunctionalInterface
    private interface DeltaFields {
        void write(JsonGenerator json) throws IOException;
    }

    ChatStreamEncoder(InstantSource clock, boolean includeUsage, String requestedModel) {
        this.clock = clock;
        this.includeUsage = includeUsage;
        this.requestedModel = requestedModel;
    }

    @Override
    public Buffer encode(StreamEvent event) {
        if (over) {
            return Buffer.buffer();
        }
        return switch (event) {
            case StreamEvent.Start start -> start(start);
            case StreamEvent.TextStart ignored -> Buffer.buffer();
            case StreamEvent.TextDelta delta -> stringDeltaFrame(CONTENT_FIELD, delta.text());
            case StreamEvent.ThinkingStart start -> {
                thinkingByBlock.put(start.index(), new ThinkingBlock());
                yield Buffer.buffer();
            }
            case StreamEvent.ThinkingDelta delta -> thinkingDelta(delta);
            case StreamEvent.SignatureDelta delta -> {
                ThinkingBlock block = thinkingByBlock.get(delta.index());
                if (block != null) {
                    block.signature = block.signature == null ? delta.signature() : block.signature + delta.signature();
                }
                yield Buffer.buffer();
            }
            case StreamEvent.RedactedThinking redacted -> {
                redactedBlocks.add(redacted.index());
                yield thinkingBlockFrame(ChatWire.redactedThinkingBlock(redacted.data()));
            }
            case StreamEvent.ToolCallStart start -> toolCallStart(start);
            case StreamEvent.ToolArgumentsDelta delta -> toolArguments(delta);
            case StreamEvent.BlockStop stop -> blockStop(stop.index());
            case StreamEvent.Finish finish -> finish(finish);
            case StreamEvent.End ignored -> end();
            case StreamEvent.Error error -> {
                over = true;
                yield OpenAiFormat.INSTANCE.streamErrorEvent(error.error());
            }
        };
    }

    private Buffer start(StreamEvent.Start start) {
        id = start.id() == null ? "" : start.id();
        model = start.model() != null ? start.model() : requestedModel != null ? requestedModel : "";
        created = clock.instant().getEpochSecond();
        usage = start.usage();
        deltaFrameHead = null;
        return frame(json -> {
            json.writeStringField("role", "assistant");
            json.writeStringField("content", "");
            json.writeNullField("refusal");
        }, null);
    }

    private Buffer thinkingDelta(StreamEvent.ThinkingDelta delta) {
        ThinkingBlock block = thinkingByBlock.get(delta.index());
        if (block != null) {
            block.text.append(delta.text());
        }
        return stringDeltaFrame(REASONING_FIELD, delta.text());
    }

    private Buffer toolCallStart(StreamEvent.ToolCallStart start) {
        int toolIndex = toolIndexByBlock.size();
        toolIndexByBlock.put(start.index(), toolIndex);
        return frame(json -> {
            json.writeArrayFieldStart("tool_calls");
            json.writeStartObject();
            json.writeNumberField("index", toolIndex);
            json.writeStringField("id", start.id());
            json.writeStringField("type", "function");
            json.writeObjectFieldStart("function");
            json.writeStringField("name", start.name());
            json.writeStringField("arguments", "");
            json.writeEndObject();
            json.writeEndObject();
            json.writeEndArray();
        }, null);
    }

    private Buffer toolArguments(StreamEvent.ToolArgumentsDelta delta) {
        Integer toolIndex = toolIndexByBlock.get(delta.index());
        if (toolIndex == null || delta.json().isEmpty()) {
            return Buffer.buffer();
        }
        return frame(json -> {
            json.writeArrayFieldStart("tool_calls");
            json.writeStartObject();
            json.writeNumberField("index", toolIndex);
            json.writeObjectFieldStart("function");
            json.writeStringField("arguments", delta.json());
            json.writeEndObject();
            json.writeEndObject();
            json.writeEndArray();
        }, null);
    }

    /**
     * A closing thinking block goes out whole in {@code thinking_blocks}, with its signature, which only arrives at
     * its end: a client accumulating the stream gets the same message as from a plain answer, and can send the
     * block back. Its text also went out token by token in {@code reasoning_content}, for clients that show it.
     */
    private Buffer blockStop(int index) {
        if (redactedBlocks.remove(index)) {
            return Buffer.buffer();
        }
        ThinkingBlock block = thinkingByBlock.remove(index);
        if (block == null) {
            return Buffer.buffer();
        }
        return thinkingBlockFrame(ChatWire.thinkingBlock(block.text.toString(), block.signature));
    }

    /**
     * One entry of {@code thinking_blocks}, numbered like tool calls so that the OpenAI SDKs, which merge list
     * entries of a delta by their {@code index}, keep the blocks apart.
     */
    private Buffer thinkingBlockFrame(ObjectNode block) {
        block.put("index", thinkingBlocksWritten++);
        return frame(json -> {
            json.writeArrayFieldStart(ChatWire.THINKING_BLOCKS);
            json.writeTree(block);
            json.writeEndArray();
        }, null);
    }

    private Buffer finish(StreamEvent.Finish finish) {
        Buffer out = Buffer.buffer();
        // A block the upstream never closed still goes out, before the answer ends.
        for (Integer open : thinkingByBlock.keySet().stream().sorted().toList()) {
            out.appendBuffer(blockStop(open));
        }
        if (finish.usage() != null) {
            usage = finish.usage();
        }
        String matchedStop = ChatWire.matchedStopSequence(finish.stopReason(), finish.stopSequence());
        return out.appendBuffer(frame(json -> {
        }, ChatWire.finishReason(finish.stopReason()), matchedStop));
    }

    private Buffer end() {
        over = true;
        Buffer out = Buffer.buffer();
        if (includeUsage && usage != null) {
            out.appendBuffer(usageFrame());
        }
        return out.appendBytes(DONE);
    }

    /**
     * A frame whose delta is one string field, the frame of nearly every token: the same bytes {@link #frame} writes,
     * put together from the stream's fixed head and tail and the escaped string, without a generator per token.
     */
    private Buffer stringDeltaFrame(byte[] fieldOpening, String value) {
        if (deltaFrameHead == null) {
            deltaFrameHead = frameBytes(json -> json.writeRaw(DELTA_MARK), null, null);
            int mark = indexOf(deltaFrameHead, DELTA_MARK_BYTES);
            deltaFrameTail = Arrays.copyOfRange(deltaFrameHead, mark + DELTA_MARK_BYTES.length, deltaFrameHead.length);
            deltaFrameHead = Arrays.copyOf(deltaFrameHead, mark);
        }
        byte[] escaped = JsonStringEncoder.getInstance().quoteAsUTF8(value);
        byte[] frame = new byte[deltaFrameHead.length + fieldOpening.length + escaped.length + 1
                + deltaFrameTail.length];
        int at = 0;
        System.arraycopy(deltaFrameHead, 0, frame, at, deltaFrameHead.length);
        at += deltaFrameHead.length;
        System.arraycopy(fieldOpening, 0, frame, at, fieldOpening.length);
        at += fieldOpening.length;
        System.arraycopy(escaped, 0, frame, at, escaped.length);
        at += escaped.length;
        frame[at++] = '"';
        System.arraycopy(deltaFrameTail, 0, frame, at, deltaFrameTail.length);
        return BufferInternal.buffer(Unpooled.wrappedBuffer(frame));
    }

    private static int indexOf(byte[] bytes, byte[] part) {
        for (int i = 0; i <= bytes.length - part.length; i++) {
            if (Arrays.equals(bytes, i, i + part.length, part, 0, part.length)) {
                return i;
            }
        }
        throw new IllegalStateException("marker not written");
    }

    private Buffer frame(DeltaFields delta, String finishReason) {
        return frame(delta, finishReason, null);
    }

    /**
     * {@code chat.completion.chunk} with one choice holding {@code delta}; finishReason null while it goes on.
     *
     * @param matchedStop the stop sequence that ended the answer, written as vLLM does, or null
     */
    private Buffer frame(DeltaFields delta, String finishReason, String matchedStop) {
        return BufferInternal.buffer(Unpooled.wrappedBuffer(frameBytes(delta, finishReason, matchedStop)));
    }

    private byte[] frameBytes(DeltaFields delta, String finishReason, String matchedStop) {
        return write(json -> {
            json.writeArrayFieldStart("choices");
            json.writeStartObject();
            json.writeNumberField("index", 0);
            json.writeObjectFieldStart("delta");
            delta.write(json);
            json.writeEndObject();
            json.writeNullField("logprobs");
            if (finishReason == null) {
                json.writeNullField("finish_reason");
            } else {
                json.writeStringField("finish_reason", finishReason);
            }
            if (matchedStop != null) {
                json.writeStringField(ChatWire.STOP_REASON, matchedStop);
            }
            json.writeEndObject();
            json.writeEndArray();
            if (includeUsage) {
                // With stream_options.include_usage OpenAI puts "usage": null on every chunk but the last.
                json.writeNullField("usage");
            }
        });
    }

    /** The last chunk OpenAI sends for stream_options.include_usage: no choices, the whole call's usage. */
    private Buffer usageFrame() {
        return Buffer.buffer(write(json -> {
            json.writeArrayFieldStart("choices");
            json.writeEndArray();
            json.writeFieldName("usage");
            json.writeTree(ChatWire.usageJson(usage));
        }));
    }

    private byte[] write(DeltaFields body) {
        bytes.reset();
        bytes.write(DATA);
        try (JsonGenerator json = Json.MAPPER.createGenerator(bytes)) {
            json.writeStartObject();
            json.writeStringField("id", id);
            json.writeStringField("object", "chat.completion.chunk");
            json.writeNumberField("created", created);
            json.writeStringField("model", model);
            body.write(json);
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        bytes.write(EVENT_END);
        return bytes.toByteArray();
    }
}
