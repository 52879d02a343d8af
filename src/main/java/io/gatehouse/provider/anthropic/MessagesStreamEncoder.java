package io.gatehouse.provider.anthropic;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.gatehouse.pipeline.Json;
import io.gatehouse.provider.translate.StreamEncoder;
import io.gatehouse.provider.translate.StreamEvent;
import io.gatehouse.provider.translate.TokenUsage;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes a unified stream as Anthropic's Messages stream, event for event as Anthropic sends it:
 * {@code message_start}, each content block's {@code content_block_start}, deltas and {@code content_block_stop},
 * {@code message_delta} with the stop reason and usage, {@code message_stop}. An error becomes Anthropic's
 * {@code error} event and ends the stream.
 *
 * <p>Anthropic clients take one block at a time: a block starts after the previous one stopped. Upstreams that
 * stream parallel tool calls interleaved (OpenAI) would break that, so while one block is open on the wire, the
 * events of any other are held back in order, and written, each block whole, once the open one stops (or the answer
 * finishes), lowest index first. Nothing is lost; a held block only reaches the client later. Block indexes on the
 * wire count in the order blocks are written, which is the unified order whenever the unified stream opens its
 * blocks in index order, as it does.
 */
final class MessagesStreamEncoder implements StreamEncoder {
    /** Events of a block that cannot be written yet, because another block is open on the wire. */
    private static final class HeldBlock {
        final List<StreamEvent> events = new ArrayList<>(4);
        boolean stopped;
    }

    private final String requestedModel;
    private final ByteArrayBuilder bytes = new ByteArrayBuilder(512);
    private final TreeMap<Integer, HeldBlock> held = new TreeMap<>();
    /** Unified indexes of blocks written and stopped: late events for them are dropped, indexes are never reused. */
    private final BitSet closed = new BitSet();
    private JsonGenerator json;
    private boolean started;
    private boolean done;
    private TokenUsage startUsage;
    /** The unified index of the block open on the wire, or -1. */
    private int openIndex = -1;
    private int openWireIndex;
    private int nextWireIndex;

    MessagesStreamEncoder(String requestedModel) {
        this.requestedModel = requestedModel;
    }

    @Override
    public Buffer encode(StreamEvent event) {
        if (done) {
            return Buffer.buffer();
        }
        if (event instanceof StreamEvent.Error error) {
            done = true;
            return AnthropicFormat.INSTANCE.streamErrorEvent(error.error());
        }
        bytes.reset();
        try (JsonGenerator generator = Json.MAPPER.getFactory().createGenerator(bytes)) {
            generator.setRootValueSeparator(null);
            json = generator;
            write(event);
        } catch (IOException e) {
            // Writing to memory does not fail; a Jackson bug would.
            throw new UncheckedIOException(e);
        } finally {
            json = null;
        }
        return bytes.size() == 0 ? Buffer.buffer() : Buffer.buffer(bytes.toByteArray());
    }

    private void write(StreamEvent event) throws IOException {
        if (event instanceof StreamEvent.Start start) {
            if (!started) {
                messageStart(start.id(), start.model(), start.usage());
            }
            return;
        }
        if (!started) {
            // The unified stream should begin with Start; when it did not, the client still gets a valid stream.
            messageStart("", null, null);
        }
        switch (event) {
            case StreamEvent.TextStart e -> blockEvent(e.index(), e);
            case StreamEvent.TextDelta e -> blockEvent(e.index(), e);
            case StreamEvent.ThinkingStart e -> blockEvent(e.index(), e);
            case StreamEvent.ThinkingDelta e -> blockEvent(e.index(), e);
            case StreamEvent.SignatureDelta e -> blockEvent(e.index(), e);
            case StreamEvent.RedactedThinking e -> blockEvent(e.index(), e);
            case StreamEvent.ToolCallStart e -> blockEvent(e.index(), e);
            case StreamEvent.ToolArgumentsDelta e -> blockEvent(e.index(), e);
            case StreamEvent.BlockStop e -> blockStop(e.index());
            case StreamEvent.Finish finish -> {
                closeAllBlocks();
                messageDelta(finish);
            }
            case StreamEvent.End end -> {
                closeAllBlocks();
                startFrame("message_stop");
                endFrame();
                done = true;
            }
            case StreamEvent.Start start -> throw new IllegalStateException("handled above");
            case StreamEvent.Error error -> throw new IllegalStateException("handled in encode");
        }
    }

    // ---- blocks ----

    private static boolean opensBlock(StreamEvent event) {
        return event instanceof StreamEvent.TextStart || event instanceof StreamEvent.ThinkingStart
                || event instanceof StreamEvent.ToolCallStart || event instanceof StreamEvent.RedactedThinking;
    }

    private void blockEvent(int index, StreamEvent event) throws IOException {
        if (index < 0) {
            return; // Not a block index: nothing on the wire can carry it.
        }
        if (index == openIndex) {
            if (opensBlock(event)) {
                return; // A second start for the open block: it is open already.
            }
            writeBlockEvent(event);
            return;
        }
        if (closed.get(index)) {
            return; // An event after its block stopped (a decoder's fault): the block is gone from the wire.
        }
        if (openIndex >= 0 || !held.isEmpty()) {
            hold(index, event);
            return;
        }
        if (!opensBlock(event)) {
            return; // A delta for a block never started: no start to write it under.
        }
        open(index);
        writeBlockEvent(event);
        if (event instanceof StreamEvent.RedactedThinking) {
            closeOpenBlock();
            releaseHeld();
        }
    }

    private void hold(int index, StreamEvent event) {
        HeldBlock block = held.get(index);
        if (block == null) {
            if (!opensBlock(event)) {
                return;
            }
            block = new HeldBlock();
            held.put(index, block);
        } else if (opensBlock(event)) {
            return;
        }
        block.events.add(event);
        if (event instanceof StreamEvent.RedactedThinking) {
            block.stopped = true; // It arrives whole.
        }
    }

    private void blockStop(int index) throws IOException {
        if (index == openIndex) {
            closeOpenBlock();
            releaseHeld();
        } else if (held.get(index) instanceof HeldBlock block) {
            block.stopped = true;
        }
    }

    /** Writes held blocks, lowest index first, until one is still streaming (it stays open) or none is left. */
    private void releaseHeld() throws IOException {
        while (openIndex < 0 && !held.isEmpty()) {
            Map.Entry<Integer, HeldBlock> next = held.pollFirstEntry();
            open(next.getKey());
            for (StreamEvent event : next.getValue().events) {
                writeBlockEvent(event);
            }
            if (next.getValue().stopped) {
                closeOpenBlock();
            }
        }
    }

    /** At the end of the answer every block is complete: the open one is closed and the held ones written whole. */
    private void closeAllBlocks() throws IOException {
        while (openIndex >= 0 || !held.isEmpty()) {
            if (openIndex >= 0) {
                closeOpenBlock();
            }
            releaseHeld();
        }
    }

    private void open(int index) {
        openIndex = index;
        openWireIndex = nextWireIndex++;
    }

    private void closeOpenBlock() throws IOException {
        startFrame("content_block_stop");
        json.writeNumberField("index", openWireIndex);
        endFrame();
        closed.set(openIndex);
        openIndex = -1;
    }

    private void writeBlockEvent(StreamEvent event) throws IOException {
        switch (event) {
            case StreamEvent.TextStart e -> {
                blockStart("text");
                json.writeStringField("text", "");
                endBlockStart();
            }
            case StreamEvent.ThinkingStart e -> {
                blockStart("thinking");
                json.writeStringField("thinking", "");
                json.writeStringField("signature", "");
                endBlockStart();
            }
            case StreamEvent.RedactedThinking e -> {
                blockStart("redacted_thinking");
                json.writeStringField("data", e.data());
                endBlockStart();
            }
            case StreamEvent.ToolCallStart e -> {
                blockStart("tool_use");
                json.writeStringField("id", e.id());
                json.writeStringField("name", e.name());
                json.writeObjectFieldStart("input");
                json.writeEndObject();
                endBlockStart();
            }
            case StreamEvent.TextDelta e -> delta("text_delta", "text", e.text());
            case StreamEvent.ThinkingDelta e -> delta("thinking_delta", "thinking", e.text());
            case StreamEvent.SignatureDelta e -> delta("signature_delta", "signature", e.signature());
            case StreamEvent.ToolArgumentsDelta e -> delta("input_json_delta", "partial_json", e.json());
            default -> throw new IllegalStateException("not a block event: " + event);
        }
    }

    private void blockStart(String type) throws IOException {
        startFrame("content_block_start");
        json.writeNumberField("index", openWireIndex);
        json.writeObjectFieldStart("content_block");
        json.writeStringField("type", type);
    }

    private void endBlockStart() throws IOException {
        json.writeEndObject();
        endFrame();
    }

    private void delta(String type, String field, String value) throws IOException {
        startFrame("content_block_delta");
        json.writeNumberField("index", openWireIndex);
        json.writeObjectFieldStart("delta");
        json.writeStringField("type", type);
        json.writeStringField(field, value);
        json.writeEndObject();
        endFrame();
    }

    // ---- message ----

    private void messageStart(String id, String model, TokenUsage usage) throws IOException {
        started = true;
        startUsage = usage;
        startFrame("message_start");
        json.writeObjectFieldStart("message");
        json.writeStringField("id", id);
        json.writeStringField("type", "message");
        json.writeStringField("role", "assistant");
        json.writeStringField("model", model == null ? requestedModel : model);
        json.writeArrayFieldStart("content");
        json.writeEndArray();
        json.writeNullField("stop_reason");
        json.writeNullField("stop_sequence");
        usage(usage);
        json.writeEndObject();
        endFrame();
    }

    private void messageDelta(StreamEvent.Finish finish) throws IOException {
        startFrame("message_delta");
        json.writeObjectFieldStart("delta");
        json.writeStringField("stop_reason", MessagesVocabulary.stopReason(finish.stopReason()));
        json.writeStringField("stop_sequence", finish.stopSequence());
        json.writeEndObject();
        // The whole call's counts, as Anthropic's own message_delta now carries them; an upstream that reported
        // none leaves the counts message_start had.
        usage(finish.usage() == null ? startUsage : finish.usage());
        endFrame();
    }

    private void usage(TokenUsage unified) throws IOException {
        MessagesVocabulary.Usage usage = MessagesVocabulary.Usage.of(unified);
        json.writeObjectFieldStart("usage");
        json.writeNumberField("input_tokens", usage.inputTokens());
        json.writeNumberField("cache_creation_input_tokens", usage.cacheCreationInputTokens());
        json.writeNumberField("cache_read_input_tokens", usage.cacheReadInputTokens());
        json.writeNumberField("output_tokens", usage.outputTokens());
        json.writeEndObject();
    }

    /** {@code event: <type>} and the opening of its data object, whose {@code type} repeats the event's name. */
    private void startFrame(String type) throws IOException {
        json.writeRaw("event: ");
        json.writeRaw(type);
        json.writeRaw("\ndata: ");
        json.writeStartObject();
        json.writeStringField("type", type);
    }

    private void endFrame() throws IOException {
        json.writeEndObject();
        json.writeRaw("\n\n");
    }
}
