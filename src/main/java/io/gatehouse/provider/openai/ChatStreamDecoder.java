package io.gatehouse.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.pipeline.ErrorKind;
import io.gatehouse.pipeline.GatewayError;
import io.gatehouse.pipeline.SseEvent;
import io.gatehouse.provider.translate.StopReason;
import io.gatehouse.provider.translate.SseStreamDecoder;
import io.gatehouse.provider.translate.StreamEvent;
import io.gatehouse.provider.translate.TokenUsage;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Reads a streamed chat completion into unified events. Only choice 0 is read: the gateway never asks for more.
 * Reasoning and text each open a block when they begin, and close when the other kind or a tool call begins; each
 * tool call (by its OpenAI {@code index}) is a block of its own, open until the finish reason, so argument fragments
 * of parallel calls may interleave. The usage arrives in a chunk after the finish reason (the request always asks
 * for it), so {@link StreamEvent.Finish} waits for it, or for {@code [DONE]} or the end of the body.
 */
final class ChatStreamDecoder extends SseStreamDecoder {
    private static final String DONE = "[DONE]";


    private boolean started;
    private boolean finishReasonSeen;
    private boolean finishEmitted;
    private boolean over;
    private int nextBlock;
    private final Set<Integer> openBlocks = new LinkedHashSet<>();
    private int textBlock = -1;
    private int thinkingBlock = -1;
    private final Map<Integer, Integer> blockByToolIndex = new HashMap<>();
    private int lastToolIndex = -1;
    private int highestToolIndex = -1;

    private StopReason stopReason = StopReason.END_TURN;
    private String stopSequence;
    private boolean refused;
    private TokenUsage usage;

    @Override
    protected void onEnd() {
        if (!over) {
            over = true;
            if (finishReasonSeen) {
                // Some compatible servers end the body after the finish reason without [DONE].
                emitFinish();
                emit(new StreamEvent.End());
            } else {
                emit(new StreamEvent.Error(new GatewayError(ErrorKind.UPSTREAM_BROKEN,
                        "The upstream's stream ended before the answer finished", "stream_incomplete")));
            }
        }
    }


    @Override
    protected void onEvent(SseEvent event) {
        if (over) {
            return;
        }
        String data = event.data();
        if (DONE.equals(data.strip())) {
            done();
            return;
        }
        ObjectNode chunk = EventJson.parseObject(data);
        if (chunk == null) {
            return;
        }
        JsonNode error = chunk.get("error");
        if (error != null && !error.isNull()) {
            over = true;
            emit(new StreamEvent.Error(streamError(error)));
            return;
        }
        JsonNode choices = chunk.get("choices");
        TokenUsage chunkUsage = ChatWire.usage(chunk.get("usage"));
        boolean hasChoices = choices instanceof ArrayNode list && !list.isEmpty();
        if (!started && (hasChoices || chunkUsage != null)) {
            // Azure opens with a chunk of prompt filter results, no choices and an empty id: not the start.
            start(chunk);
        }
        if (hasChoices) {
            for (JsonNode choice : choices) {
                if (choice.path("index").asInt(0) == 0) {
                    onChoice(choice);
                }
            }
        }
        if (chunkUsage != null) {
            usage = chunkUsage;
            if (finishReasonSeen) {
                emitFinish();
            }
        }
    }

    private void start(ObjectNode chunk) {
        started = true;
        JsonNode id = chunk.get("id");
        JsonNode model = chunk.get("model");
        emit(new StreamEvent.Start(EventJson.isMeaningful(id) ? id.asText() : null,
                EventJson.isMeaningful(model) ? model.asText() : null, null));
    }

    private void onChoice(JsonNode choice) {
        ObjectNode delta = EventJson.object(choice, "delta");
        if (delta != null) {
            String reasoning = ChatWire.textOrNull(delta.get(ChatWire.REASONING_CONTENT));
            if (reasoning == null) {
                reasoning = ChatWire.textOrNull(delta.get(ChatWire.REASONING));
            }
            if (reasoning != null && !reasoning.isEmpty()) {
                thinking(reasoning);
            }
            if (delta.get(ChatWire.THINKING_BLOCKS) instanceof ArrayNode blocks) {
                blocks.forEach(this::thinkingBlock);
            }
            String content = ChatWire.textOrNull(delta.get("content"));
            if (content != null && !content.isEmpty()) {
                text(content);
            }
            String refusal = ChatWire.textOrNull(delta.get("refusal"));
            if (refusal != null && !refusal.isEmpty()) {
                refused = true;
                text(refusal);
            }
            if (delta.get("tool_calls") instanceof ArrayNode calls) {
                calls.forEach(this::toolCall);
            }
        }
        String finishReason = ChatWire.textOrNull(choice.get("finish_reason"));
        if (finishReason != null && !finishReasonSeen) {
            finishReasonSeen = true;
            stopReason = ChatWire.stopReason(finishReason);
            stopSequence = ChatWire.matchedStopSequence(choice);
            closeAll();
        }
    }

    private void thinking(String text) {
        if (thinkingBlock < 0) {
            closeText();
            thinkingBlock = open();
            emit(new StreamEvent.ThinkingStart(thinkingBlock));
        }
        emit(new StreamEvent.ThinkingDelta(thinkingBlock, text));
    }

    private void text(String text) {
        if (textBlock < 0) {
            closeThinking();
            textBlock = open();
            emit(new StreamEvent.TextStart(textBlock));
        }
        emit(new StreamEvent.TextDelta(textBlock, text));
    }

    /**
     * A whole thinking block, as a gateway like this one sends it when the block ends: its text already came as
     * reasoning deltas when the block is open, so only the signature is new; otherwise the block comes whole.
     */
    private void thinkingBlock(JsonNode block) {
        String type = block.path("type").asText("");
        if (type.equals("redacted_thinking")) {
            closeText();
            closeThinking();
            int index = open();
            emit(new StreamEvent.RedactedThinking(index, block.path("data").asText("")));
            close(index);
            return;
        }
        if (!type.equals("thinking")) {
            return;
        }
        if (thinkingBlock < 0) {
            closeText();
            thinkingBlock = open();
            emit(new StreamEvent.ThinkingStart(thinkingBlock));
            String text = block.path("thinking").asText("");
            if (!text.isEmpty()) {
                emit(new StreamEvent.ThinkingDelta(thinkingBlock, text));
            }
        }
        String signature = ChatWire.textOrNull(block.get("signature"));
        if (signature != null) {
            emit(new StreamEvent.SignatureDelta(thinkingBlock, signature));
        }
        closeThinking();
    }

    private void toolCall(JsonNode call) {
        int toolIndex = toolIndexOf(call);
        Integer block = blockByToolIndex.get(toolIndex);
        JsonNode function = call.path("function");
        if (block == null) {
            closeText();
            closeThinking();
            block = open();
            blockByToolIndex.put(toolIndex, block);
            emit(new StreamEvent.ToolCallStart(block, ChatWire.textOrNull(call.get("id")),
                    ChatWire.textOrNull(function.get("name"))));
        }
        String arguments = ChatWire.textOrNull(function.get("arguments"));
        if (arguments != null && !arguments.isEmpty()) {
            emit(new StreamEvent.ToolArgumentsDelta(block, arguments));
        }
    }

    /**
     * The call's {@code index}. Some compatible servers leave it out: an entry with an id then starts a new call,
     * one without continues the last.
     */
    private int toolIndexOf(JsonNode call) {
        JsonNode index = call.get("index");
        int toolIndex;
        if (index != null && index.isIntegralNumber() && index.canConvertToInt()) {
            toolIndex = index.intValue();
        } else if (lastToolIndex < 0 || EventJson.isMeaningful(call.get("id"))) {
            toolIndex = highestToolIndex + 1;
        } else {
            toolIndex = lastToolIndex;
        }
        lastToolIndex = toolIndex;
        highestToolIndex = Math.max(highestToolIndex, toolIndex);
        return toolIndex;
    }

    private int open() {
        int index = nextBlock++;
        openBlocks.add(index);
        return index;
    }

    private void close(int index) {
        if (openBlocks.remove(index)) {
            emit(new StreamEvent.BlockStop(index));
        }
    }

    private void closeText() {
        if (textBlock >= 0) {
            close(textBlock);
            textBlock = -1;
        }
    }

    private void closeThinking() {
        if (thinkingBlock >= 0) {
            close(thinkingBlock);
            thinkingBlock = -1;
        }
    }

    private void closeAll() {
        for (int index : openBlocks) {
            emit(new StreamEvent.BlockStop(index));
        }
        openBlocks.clear();
        textBlock = -1;
        thinkingBlock = -1;
    }

    private void emitFinish() {
        if (finishEmitted) {
            return;
        }
        finishEmitted = true;
        StopReason reason = stopReason;
        if (refused) {
            // The model declined (Structured Outputs' refusal), which other APIs report as a safety stop.
            reason = StopReason.CONTENT_FILTER;
        } else if (reason == StopReason.END_TURN && stopSequence != null) {
            reason = StopReason.STOP_SEQUENCE;
        }
        emit(new StreamEvent.Finish(reason, reason == StopReason.STOP_SEQUENCE ? stopSequence : null, usage));
    }

    /** {@code [DONE]}: the answer is complete, with whatever finish reason and usage came. */
    private void done() {
        over = true;
        if (!started) {
            started = true;
            emit(new StreamEvent.Start(null, null, null));
        }
        closeAll();
        emitFinish();
        emit(new StreamEvent.End());
    }

    /**
     * An error the upstream put in the stream: OpenAI's {@code {"error":{"message","type","code"}}}, vLLM's with
     * the HTTP status as its code, or a bare string.
     */
    private static GatewayError streamError(JsonNode error) {
        String message = error.isTextual() ? error.textValue() : ChatWire.textOrNull(error.get("message"));
        if (message == null) {
            message = "The upstream reported an error in the stream";
        }
        JsonNode codeNode = error.get("code");
        if (codeNode != null && codeNode.isIntegralNumber() && codeNode.intValue() >= 400
                && codeNode.intValue() < 600) {
            int status = codeNode.intValue();
            return new GatewayError(ChatWire.errorKind(status), status, message,
                    ChatWire.textOrNull(error.get("type")));
        }
        String type = ChatWire.textOrNull(error.get("type"));
        String code = ChatWire.textOrNull(codeNode);
        ErrorKind kind = switch (type == null ? "" : type) {
            case "invalid_request_error" -> ErrorKind.INVALID_REQUEST;
            case "authentication_error" -> ErrorKind.AUTHENTICATION;
            case "permission_error" -> ErrorKind.PERMISSION;
            case "not_found_error" -> ErrorKind.NOT_FOUND;
            case "rate_limit_error" -> ErrorKind.RATE_LIMIT;
            // server_error and the rest: the upstream broke off the answer it had begun.
            default -> ErrorKind.UPSTREAM_BROKEN;
        };
        return new GatewayError(kind, message, code != null ? code : type);
    }
}
