package io.gatehouse.provider.anthropic;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.pipeline.ErrorKind;
import io.gatehouse.pipeline.GatewayError;
import io.gatehouse.pipeline.Json;
import io.gatehouse.pipeline.SseEvent;
import io.gatehouse.provider.translate.SseStreamDecoder;
import io.gatehouse.provider.translate.StreamEvent;

import java.io.IOException;
import java.util.Arrays;
import java.util.BitSet;

/**
 * Reads Anthropic's Messages stream into unified events. Its shape is already the unified one: message_start gives
 * {@link StreamEvent.Start}, each content block its start, deltas and stop, message_delta the {@link StreamEvent.Finish}
 * (usage merged over message_start's, since the delta may carry only output_tokens), message_stop the
 * {@link StreamEvent.End}; ping is ignored, an {@code error} event becomes {@link StreamEvent.Error} with the status
 * its type stands for and ends the stream.
 *
 * <p>What the unified stream has no event for is left out: blocks of Anthropic's server tools (server_tool_use,
 * web_search_tool_result…, which only appear when a provider adds such tools, a translated request never asks for
 * them) and the citations of text blocks; the text itself is complete. The remaining blocks are numbered from 0
 * without gaps.
 */
final class MessagesStreamDecoder extends SseStreamDecoder {
    private static final int SKIPPED = -1;
    /** How Anthropic opens every content_block_delta's data: such events are read by {@link #readBlockDelta}. */
    private static final String BLOCK_DELTA_OPENING = "{\"type\":\"content_block_delta\"";

    /** For each upstream block index, its unified index, or {@link #SKIPPED}. */
    private int[] unifiedIndexes = skippedIndexes(8);
    private int nextUnifiedIndex;
    /** Unified indexes of tool_use blocks, and of those that received argument text. */
    private final BitSet toolBlocks = new BitSet();
    private final BitSet toolBlocksWithArguments = new BitSet();
    private MessagesVocabulary.Usage usage = new MessagesVocabulary.Usage(0, 0, 0, 0);
    private boolean finished;
    /** message_stop or an error arrived: anything after is ignored. */
    private boolean over;

    @Override
    protected void onEnd() {
        if (!over) {
            over = true;
            emit(new StreamEvent.Error(new GatewayError(ErrorKind.UPSTREAM_BROKEN,
                    "Anthropic's stream ended before the answer was complete (no message_stop)", "upstream_broken")));
        }
    }


    @Override
    protected void onEvent(SseEvent event) {
        if (over) {
            return;
        }
        if (event.data().startsWith(BLOCK_DELTA_OPENING) && readBlockDelta(event.data())) {
            return;
        }
        JsonNode data;
        try {
            data = Json.MAPPER.readTree(event.data());
        } catch (JsonProcessingException e) {
            data = null;
        }
        if (data == null || !data.isObject()) {
            fail(new GatewayError(ErrorKind.UPSTREAM_BROKEN, "Anthropic's stream carried an event that is not a "
                    + "JSON object", "upstream_broken"));
            return;
        }
        // The data's own type is the truth; the SSE event name is the same word, when a proxy kept it.
        String type = data.path("type").asText(event.event() == null ? "" : event.event());
        switch (type) {
            case "message_start" -> messageStart(data.path("message"));
            case "content_block_start" -> blockStart(data.path("index").asInt(-1), data.path("content_block"));
            case "content_block_delta" -> {
                JsonNode delta = data.path("delta");
                blockDelta(data.path("index").asInt(-1), delta.path("type").asText(""), delta.path("text").asText(""),
                        delta.path("thinking").asText(""), delta.path("signature").asText(""),
                        delta.path("partial_json").asText(""));
            }
            case "content_block_stop" -> blockStop(data.path("index").asInt(-1));
            case "message_delta" -> messageDelta(data);
            case "message_stop" -> messageStop();
            case "error" -> fail(MessagesVocabulary.error(0, data.get("error")));
            default -> {
                // ping, and event types added after this was written.
            }
        }
    }

    private void fail(GatewayError error) {
        over = true;
        emit(new StreamEvent.Error(error));
    }

    private void messageStart(JsonNode message) {
        usage = MessagesVocabulary.Usage.of(message.get("usage"));
        emit(new StreamEvent.Start(text(message, "id"), text(message, "model"), usage.unified()));
    }

    private void blockStart(int upstreamIndex, JsonNode block) {
        if (upstreamIndex < 0) {
            return;
        }
        String type = block.path("type").asText("");
        boolean carried = switch (type) {
            case "text", "thinking", "redacted_thinking", "tool_use" -> true;
            default -> false;
        };
        int index = carried ? nextUnifiedIndex++ : SKIPPED;
        remember(upstreamIndex, index);
        switch (type) {
            case "text" -> {
                emit(new StreamEvent.TextStart(index));
                String text = block.path("text").asText("");
                if (!text.isEmpty()) {
                    emit(new StreamEvent.TextDelta(index, text));
                }
            }
            case "thinking" -> {
                emit(new StreamEvent.ThinkingStart(index));
                String thinking = block.path("thinking").asText("");
                if (!thinking.isEmpty()) {
                    emit(new StreamEvent.ThinkingDelta(index, thinking));
                }
                String signature = block.path("signature").asText("");
                if (!signature.isEmpty()) {
                    emit(new StreamEvent.SignatureDelta(index, signature));
                }
            }
            case "redacted_thinking" -> emit(new StreamEvent.RedactedThinking(index, block.path("data").asText("")));
            case "tool_use" -> {
                toolBlocks.set(index);
                emit(new StreamEvent.ToolCallStart(index, text(block, "id"), text(block, "name")));
                JsonNode input = block.get("input");
                if (input != null && input.isObject() && !input.isEmpty()) {
                    toolBlocksWithArguments.set(index);
                    emit(new StreamEvent.ToolArgumentsDelta(index, Json.writeString(input)));
                }
            }
            default -> {
                // Server tool blocks and block types added after this was written: see the class comment.
            }
        }
    }

    /**
     * A content_block_delta, the event of nearly every token, read with a streaming parser instead of a tree. Any
     * shape it does not expect (a delta with objects in it, like citations_delta, a number where a string belongs)
     * is left to the tree, which reads every event: false then, and nothing emitted.
     */
    private boolean readBlockDelta(String data) {
        int index = -1;
        String deltaType = "";
        String text = "";
        String thinking = "";
        String signature = "";
        String partialJson = "";
        try (JsonParser json = Json.MAPPER.createParser(data)) {
            if (json.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String field = json.currentName();
                JsonToken value = json.nextToken();
                switch (field) {
                    case "type" -> {
                        if (value != JsonToken.VALUE_STRING || !json.getText().equals("content_block_delta")) {
                            return false;
                        }
                    }
                    case "index" -> {
                        if (value != JsonToken.VALUE_NUMBER_INT) {
                            return false;
                        }
                        index = json.getIntValue();
                    }
                    case "delta" -> {
                        if (value != JsonToken.START_OBJECT) {
                            return false;
                        }
                        while (json.nextToken() == JsonToken.FIELD_NAME) {
                            String deltaField = json.currentName();
                            if (json.nextToken() != JsonToken.VALUE_STRING) {
                                return false;
                            }
                            switch (deltaField) {
                                case "type" -> deltaType = json.getText();
                                case "text" -> text = json.getText();
                                case "thinking" -> thinking = json.getText();
                                case "signature" -> signature = json.getText();
                                case "partial_json" -> partialJson = json.getText();
                                default -> {
                                    // Fields added after this was written.
                                }
                            }
                        }
                    }
                    default -> json.skipChildren();
                }
            }
            if (json.nextToken() != null) {
                return false;
            }
        } catch (IOException | RuntimeException e) {
            return false;
        }
        blockDelta(index, deltaType, text, thinking, signature, partialJson);
        return true;
    }

    private void blockDelta(int upstreamIndex, String deltaType, String text, String thinking, String signature,
                            String partialJson) {
        int index = unifiedIndex(upstreamIndex);
        if (index == SKIPPED) {
            return;
        }
        switch (deltaType) {
            case "text_delta" -> emit(new StreamEvent.TextDelta(index, text));
            case "thinking_delta" -> emit(new StreamEvent.ThinkingDelta(index, thinking));
            case "signature_delta" -> emit(new StreamEvent.SignatureDelta(index, signature));
            case "input_json_delta" -> {
                // Anthropic opens every tool input with an empty fragment: nothing to pass on.
                if (!partialJson.isEmpty()) {
                    toolBlocksWithArguments.set(index);
                    emit(new StreamEvent.ToolArgumentsDelta(index, partialJson));
                }
            }
            default -> {
                // citations_delta (see the class comment), and delta types added after this was written.
            }
        }
    }

    private void blockStop(int upstreamIndex) {
        int index = unifiedIndex(upstreamIndex);
        if (index == SKIPPED) {
            return;
        }
        if (toolBlocks.get(index) && !toolBlocksWithArguments.get(index)) {
            // A tool called without arguments has input {} in Anthropic's answer; said explicitly, so that clients
            // of APIs with arguments as JSON text (OpenAI) get "{}", not an empty string they cannot parse.
            emit(new StreamEvent.ToolArgumentsDelta(index, "{}"));
        }
        emit(new StreamEvent.BlockStop(index));
    }

    private void messageDelta(JsonNode data) {
        usage = usage.updatedBy(data.get("usage"));
        JsonNode delta = data.path("delta");
        finished = true;
        emit(new StreamEvent.Finish(MessagesVocabulary.stopReason(text(delta, "stop_reason")),
                text(delta, "stop_sequence"), usage.unified()));
    }

    private void messageStop() {
        if (!finished) {
            fail(new GatewayError(ErrorKind.UPSTREAM_BROKEN, "Anthropic's stream ended without saying why the answer "
                    + "stopped (no message_delta)", "upstream_broken"));
            return;
        }
        over = true;
        emit(new StreamEvent.End());
    }

    private static int[] skippedIndexes(int length) {
        int[] indexes = new int[length];
        Arrays.fill(indexes, SKIPPED);
        return indexes;
    }

    private void remember(int upstreamIndex, int unifiedIndex) {
        if (upstreamIndex >= unifiedIndexes.length) {
            int[] grown = skippedIndexes(Math.max(upstreamIndex + 1, unifiedIndexes.length * 2));
            System.arraycopy(unifiedIndexes, 0, grown, 0, unifiedIndexes.length);
            unifiedIndexes = grown;
        }
        unifiedIndexes[upstreamIndex] = unifiedIndex;
    }

    private int unifiedIndex(int upstreamIndex) {
        return upstreamIndex >= 0 && upstreamIndex < unifiedIndexes.length ? unifiedIndexes[upstreamIndex] : SKIPPED;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() ? value.textValue() : null;
    }
}
