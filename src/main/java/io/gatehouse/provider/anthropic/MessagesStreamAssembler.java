package io.gatehouse.provider.anthropic;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.pipeline.Json;
import io.gatehouse.pipeline.SseEvent;
import io.gatehouse.provider.StreamAssembler;

import java.util.Map;
import java.util.TreeMap;

/**
 * Rebuilds the {@code message} of a streamed Anthropic Messages call: {@code message_start} gives the
 * message with empty content, each content block streams by its {@code index}, {@code message_delta}
 * gives the stop reason and the final usage, {@code message_stop} ends it. {@code ping} is ignored.
 */
public final class MessagesStreamAssembler implements StreamAssembler {
    private ObjectNode message;
    private final Map<Integer, ContentBlockAssembly> blocks = new TreeMap<>();
    private JsonNode error;
    private boolean complete;

    @Override
    public void onEvent(SseEvent event) {
        ObjectNode data = parseObject(event.data());
        if (data == null) {
            return;
        }
        // The data's own type is the truth; the SSE event name is the same word, when a proxy kept it.
        String type = data.path("type").asText(event.event() == null ? "" : event.event());
        switch (type) {
            case "message_start" -> {
                if (data.get("message") instanceof ObjectNode started) {
                    message = started;
                }
            }
            case "content_block_start" -> {
                if (data.get("content_block") instanceof ObjectNode block) {
                    blocks.put(data.path("index").asInt(), new ContentBlockAssembly(block));
                }
            }
            case "content_block_delta" -> {
                ContentBlockAssembly block = blocks.get(data.path("index").asInt());
                if (block != null && data.get("delta") instanceof ObjectNode delta) {
                    block.apply(delta);
                }
            }
            case "message_delta" -> applyMessageDelta(data);
            case "message_stop" -> complete = true;
            case "error" -> {
                if (error == null) {
                    error = data;
                }
            }
            default -> {
                // ping, content_block_stop (nothing to do: blocks are read when the result is), and event
                // types added after this was written.
            }
        }
    }

    /**
     * Top-level changes are set; usage is merged field by field, because the delta's usage may carry
     * only {@code output_tokens} while the input and cache counts were given once, in message_start.
     */
    private void applyMessageDelta(ObjectNode data) {
        if (message == null) {
            message = bareMessage();
        }
        if (data.get("delta") instanceof ObjectNode delta) {
            message.setAll(delta);
        }
        if (data.get("usage") instanceof ObjectNode usageDelta) {
            ObjectNode usage = message.get("usage") instanceof ObjectNode existing
                    ? existing : message.putObject("usage");
            usageDelta.properties().forEach(field -> {
                if (!field.getValue().isNull()) {
                    usage.set(field.getKey(), field.getValue());
                }
            });
        }
    }

    /** Stands in for message_start when the stream lacked it, so what did arrive is not lost. */
    private static ObjectNode bareMessage() {
        return Json.MAPPER.createObjectNode().put("type", "message").put("role", "assistant");
    }

    private static ObjectNode parseObject(String data) {
        try {
            return Json.MAPPER.readTree(data) instanceof ObjectNode object ? object : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    @Override
    public JsonNode result() {
        if (message == null && blocks.isEmpty()) {
            return null;
        }
        ObjectNode assembled = message == null ? bareMessage() : message.deepCopy();
        if (!blocks.isEmpty()) {
            ArrayNode content = assembled.putArray("content");
            blocks.values().forEach(block -> content.add(block.toJson()));
        }
        return assembled;
    }

    @Override
    public JsonNode error() {
        return error == null ? null : error.deepCopy();
    }

    @Override
    public boolean complete() {
        return complete;
    }
}
