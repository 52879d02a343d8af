package io.gatehouse.provider.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.pipeline.ErrorKind;
import io.gatehouse.pipeline.GatewayError;
import io.gatehouse.pipeline.Json;
import io.gatehouse.provider.translate.StreamDecoder;
import io.gatehouse.provider.translate.StreamEvent;
import io.vertx.core.buffer.Buffer;
import software.amazon.eventstream.HeaderValue;
import software.amazon.eventstream.Message;

import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads one ConverseStream body: AWS event-stream frames whose {@code :event-type} header names the event and whose
 * payload is its JSON. {@code messageStart} opens the answer; a tool call's block opens with
 * {@code contentBlockStart}, but text and reasoning blocks have none and open on their first
 * {@code contentBlockDelta}; {@code contentBlockStop} closes a block; {@code messageStop} says why the model stopped
 * and the {@code metadata} event after it carries the usage, which completes the answer. A frame whose
 * {@code :message-type} is {@code exception} reports a failure mid-stream. One per stream, not thread-safe.
 */
final class ConverseStreamDecoder implements StreamDecoder {
    private static final String MESSAGE_TYPE = ":message-type";
    private static final String EVENT_TYPE = ":event-type";
    private static final String EXCEPTION_TYPE = ":exception-type";

    private enum Kind {
        TEXT, THINKING, TOOL, REDACTED
    }

    /**
     * One open block. Its unified index is given when it is announced; redacted reasoning, gathered whole and
     * announced when it closes, has none until then.
     */
    private static final class Block {
        final Kind kind;
        int index = -1;
        StringBuilder redacted;

        Block(Kind kind) {
            this.kind = kind;
        }
    }

    private final String id;
    private final EventStreamFramer framer = new EventStreamFramer();
    /** Open blocks by Bedrock's contentBlockIndex. */
    private final Map<Integer, Block> blocks = new HashMap<>();
    private int nextIndex;
    private boolean stopped;
    private String stopReason;
    private String stopSequence;
    /** True once End or Error is out: the stream owes nothing more and further bytes are ignored. */
    private boolean done;
    private List<StreamEvent> out;

    /** @param id the id its {@link StreamEvent.Start} carries: Converse streams name no response */
    ConverseStreamDecoder(String id) {
        this.id = id;
    }

    @Override
    public List<StreamEvent> decode(Buffer chunk) {
        if (done) {
            return List.of();
        }
        out = new ArrayList<>(4);
        try {
            framer.feed(chunk, this::onMessage);
        } catch (IllegalArgumentException | IllegalStateException | BufferUnderflowException e) {
            // What the event-stream library throws for a frame it cannot read.
            fail(broken("Bedrock sent a corrupt event-stream frame: " + e.getMessage()));
        }
        List<StreamEvent> events = out;
        out = null;
        return events;
    }

    @Override
    public List<StreamEvent> finish() {
        if (done) {
            return List.of();
        }
        done = true;
        String message = framer.midFrame() ? "Bedrock's stream was cut off in the middle of an event"
                : stopped ? "Bedrock's stream ended before its metadata event"
                : "Bedrock's stream ended before the model finished its answer";
        return List.of(new StreamEvent.Error(broken(message)));
    }

    /** Handles one frame; false once the stream is over. */
    private boolean onMessage(Message message) {
        Map<String, HeaderValue> headers = message.getHeaders();
        String messageType = header(headers, MESSAGE_TYPE);
        if ("exception".equals(messageType)) {
            fail(BedrockErrors.toGateway(0, header(headers, EXCEPTION_TYPE), messageOf(message.getPayload())));
        } else if ("error".equals(messageType)) {
            fail(BedrockErrors.toGateway(0, header(headers, ":error-code"), header(headers, ":error-message")));
        } else {
            JsonNode payload = parse(message.getPayload());
            if (payload == null) {
                fail(broken("Bedrock sent an event whose payload is not a JSON object"));
            } else {
                onEvent(header(headers, EVENT_TYPE), payload);
            }
        }
        return !done;
    }

    private void onEvent(String type, JsonNode payload) {
        if (type == null) {
            return;
        }
        switch (type) {
            case "messageStart" -> out.add(new StreamEvent.Start(id, null, null));
            case "contentBlockStart" -> onBlockStart(payload);
            case "contentBlockDelta" -> onDelta(payload);
            case "contentBlockStop" -> onBlockStop(payload);
            case "messageStop" -> {
                stopped = true;
                JsonNode reason = payload.get("stopReason");
                stopReason = reason == null ? null : reason.asText();
                stopSequence = ConverseJson.stopSequence(payload.get("additionalModelResponseFields"));
            }
            case "metadata" -> onMetadata(payload);
            default -> {
                // An event this decoder does not know carries nothing the unified stream has.
            }
        }
    }

    private void onBlockStart(JsonNode payload) {
        Integer index = blockIndex(payload);
        JsonNode toolUse = payload.path("start").get("toolUse");
        if (index == null || toolUse == null) {
            return;
        }
        Block block = new Block(Kind.TOOL);
        block.index = nextIndex++;
        blocks.put(index, block);
        out.add(new StreamEvent.ToolCallStart(block.index, toolUse.path("toolUseId").asText(null),
                toolUse.path("name").asText(null)));
    }

    private void onDelta(JsonNode payload) {
        Integer index = blockIndex(payload);
        JsonNode delta = payload.get("delta");
        if (index == null || delta == null) {
            fail(broken("Bedrock sent a contentBlockDelta without its contentBlockIndex or delta"));
            return;
        }
        JsonNode text = delta.get("text");
        if (text != null) {
            Block block = open(index, Kind.TEXT);
            if (block != null) {
                out.add(new StreamEvent.TextDelta(block.index, text.asText()));
            }
            return;
        }
        JsonNode toolUse = delta.get("toolUse");
        if (toolUse != null) {
            Block block = blocks.get(index);
            if (block == null || block.kind != Kind.TOOL) {
                fail(broken("Bedrock sent tool input for content block " + index + ", which is not a tool call"));
                return;
            }
            out.add(new StreamEvent.ToolArgumentsDelta(block.index, toolUse.path("input").asText("")));
            return;
        }
        JsonNode reasoning = delta.get("reasoningContent");
        if (reasoning != null) {
            onReasoningDelta(index, reasoning);
        }
        // Citations and other deltas have no unified counterpart.
    }

    private void onReasoningDelta(int index, JsonNode reasoning) {
        JsonNode redacted = reasoning.get("redactedContent");
        if (redacted != null) {
            Block block = blocks.computeIfAbsent(index, unused -> new Block(Kind.REDACTED));
            if (block.kind != Kind.REDACTED) {
                fail(broken("Bedrock sent redacted reasoning into content block " + index));
                return;
            }
            if (block.redacted == null) {
                block.redacted = new StringBuilder();
            }
            block.redacted.append(redacted.asText());
            return;
        }
        Block block = open(index, Kind.THINKING);
        if (block == null) {
            return;
        }
        JsonNode text = reasoning.get("text");
        if (text != null) {
            out.add(new StreamEvent.ThinkingDelta(block.index, text.asText()));
        }
        JsonNode signature = reasoning.get("signature");
        if (signature != null) {
            out.add(new StreamEvent.SignatureDelta(block.index, signature.asText()));
        }
    }

    /** The open block at {@code index}, opened (and announced) now if it is the first delta of a text or reasoning block. */
    private Block open(int index, Kind kind) {
        Block block = blocks.get(index);
        if (block == null) {
            block = new Block(kind);
            block.index = nextIndex++;
            blocks.put(index, block);
            out.add(kind == Kind.TEXT ? new StreamEvent.TextStart(block.index)
                    : new StreamEvent.ThinkingStart(block.index));
        } else if (block.kind != kind) {
            fail(broken("Bedrock mixed " + kind.name().toLowerCase(Locale.ROOT) + " into content block " + index));
            return null;
        }
        return block;
    }

    private void onBlockStop(JsonNode payload) {
        Integer index = blockIndex(payload);
        Block block = index == null ? null : blocks.remove(index);
        if (block != null) {
            close(block);
        }
    }

    private void close(Block block) {
        if (block.kind == Kind.REDACTED) {
            block.index = nextIndex++;
            out.add(new StreamEvent.RedactedThinking(block.index, block.redacted.toString()));
        }
        out.add(new StreamEvent.BlockStop(block.index));
    }

    private void onMetadata(JsonNode payload) {
        if (!stopped) {
            fail(broken("Bedrock sent the stream's metadata before its messageStop"));
            return;
        }
        // Blocks Bedrock left open end with the answer, in the order they opened.
        List<Block> open = new ArrayList<>(blocks.values());
        blocks.clear();
        open.sort(Comparator.comparingInt(block -> block.kind == Kind.REDACTED ? Integer.MAX_VALUE : block.index));
        open.forEach(this::close);
        out.add(new StreamEvent.Finish(ConverseJson.stopReason(stopReason), stopSequence,
                ConverseJson.usage(payload.get("usage"))));
        out.add(new StreamEvent.End());
        done = true;
    }

    private void fail(GatewayError error) {
        out.add(new StreamEvent.Error(error));
        done = true;
    }

    private static Integer blockIndex(JsonNode payload) {
        JsonNode index = payload.get("contentBlockIndex");
        return index != null && index.canConvertToInt() ? index.asInt() : null;
    }

    private static String header(Map<String, HeaderValue> headers, String name) {
        HeaderValue value = headers.get(name);
        if (value == null) {
            return null;
        }
        try {
            return value.getString();
        } catch (IllegalStateException notAString) {
            return null;
        }
    }

    private static JsonNode parse(byte[] payload) {
        try {
            JsonNode json = Json.MAPPER.readTree(payload);
            return json != null && json.isObject() ? json : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static String messageOf(byte[] payload) {
        JsonNode json = parse(payload);
        JsonNode message = json == null ? null : json.has("message") ? json.get("message") : json.get("Message");
        return message == null ? null : message.asText();
    }

    private static GatewayError broken(String message) {
        return new GatewayError(ErrorKind.UPSTREAM_BROKEN, message, "upstream_broken");
    }
}
