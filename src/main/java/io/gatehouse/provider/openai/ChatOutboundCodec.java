package io.gatehouse.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.pipeline.ErrorKind;
import io.gatehouse.pipeline.GatewayError;
import io.gatehouse.pipeline.GatewayException;
import io.gatehouse.provider.translate.EncodedRequest;
import io.gatehouse.provider.translate.OutboundCodec;
import io.gatehouse.provider.translate.Part;
import io.gatehouse.provider.translate.StopReason;
import io.gatehouse.provider.translate.StreamDecoder;
import io.gatehouse.provider.translate.UnifiedRequest;
import io.gatehouse.provider.translate.UnifiedResponse;
import io.vertx.core.buffer.Buffer;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Calls to OpenAI's Chat Completions, and to every server speaking it: Ollama, vLLM, Azure OpenAI.
 */
public final class ChatOutboundCodec implements OutboundCodec {
    /** How much of an error body that is not JSON goes into the client's error message. */
    private static final int RAW_ERROR_LIMIT = 500;

    private final String azureApiVersion;
    /** The request field the token limit goes in. */
    private final String tokenLimitField;

    /**
     * @param azureApiVersion Azure OpenAI's {@code api-version}, which also selects Azure's paths
     *                        ({@code /openai/deployments/{model}/chat/completions}); null for OpenAI and the
     *                        OpenAI-compatible servers ({@code /v1/chat/completions})
     */
    public ChatOutboundCodec(String azureApiVersion) {
        // The current name: OpenAI's reasoning models refuse max_tokens, and vLLM and Azure take this one.
        this(azureApiVersion, "max_completion_tokens");
    }

    private ChatOutboundCodec(String azureApiVersion, String tokenLimitField) {
        this.azureApiVersion = azureApiVersion;
        this.tokenLimitField = tokenLimitField;
    }

    /**
     * Ollama's OpenAI-compatible API, which reads the token limit only from {@code max_tokens} and silently ignores
     * {@code max_completion_tokens}: the client's limit would be lost.
     */
    public static ChatOutboundCodec ollama() {
        return new ChatOutboundCodec(null, "max_tokens");
    }

    @Override
    public String type() {
        return OpenAiFormat.INSTANCE.type();
    }

    @Override
    public EncodedRequest encodeRequest(UnifiedRequest request) {
        if (azureApiVersion == null) {
            return new EncodedRequest("/v1/chat/completions", null, Map.of(),
                    ChatRequestWriter.write(request, true, tokenLimitField));
        }
        String deployment = URLEncoder.encode(request.model(), StandardCharsets.UTF_8).replace("+", "%20");
        return new EncodedRequest("/openai/deployments/" + deployment + "/chat/completions",
                "api-version=" + URLEncoder.encode(azureApiVersion, StandardCharsets.UTF_8), Map.of(),
                ChatRequestWriter.write(request, false, tokenLimitField));
    }

    @Override
    public UnifiedResponse decodeResponse(JsonNode body) {
        if (!(body instanceof ObjectNode completion)) {
            throw broken("is not a JSON object");
        }
        if (!(completion.get("choices") instanceof ArrayNode choices) || choices.isEmpty()) {
            throw broken("has no choices");
        }
        JsonNode choice = choices.get(0);
        if (!(choice.get("message") instanceof ObjectNode message)) {
            throw broken("has no choices[0].message");
        }
        List<Part> content = new ArrayList<>(readThinking(message));
        JsonNode text = message.get("content");
        if (text != null && text.isTextual() && !text.textValue().isEmpty()) {
            content.add(new Part.Text(text.textValue()));
        } else if (text instanceof ArrayNode parts) {
            for (JsonNode part : parts) {
                String partText = ChatWire.textOrNull(part.get("text"));
                if (partText != null) {
                    content.add(new Part.Text(partText));
                }
            }
        }
        String refusal = ChatWire.textOrNull(message.get("refusal"));
        if (refusal != null) {
            content.add(new Part.Text(refusal));
        }
        if (message.get("tool_calls") instanceof ArrayNode calls) {
            for (JsonNode call : calls) {
                JsonNode function = call.path("function");
                content.add(new Part.ToolCall(call.path("id").asText(""), function.path("name").asText(""),
                        function.path("arguments").asText("")));
            }
        }
        StopReason stopReason = ChatWire.stopReason(ChatWire.textOrNull(choice.get("finish_reason")));
        String stopSequence = ChatWire.matchedStopSequence(choice);
        if (refusal != null) {
            // The model declined (Structured Outputs' refusal), which other APIs report as a safety stop.
            stopReason = StopReason.CONTENT_FILTER;
        } else if (stopReason == StopReason.END_TURN && stopSequence != null) {
            stopReason = StopReason.STOP_SEQUENCE;
        }
        return new UnifiedResponse(ChatWire.textOrNull(completion.get("id")),
                ChatWire.textOrNull(completion.get("model")), content, stopReason,
                stopReason == StopReason.STOP_SEQUENCE ? stopSequence : null,
                ChatWire.usage(completion.get("usage")));
    }

    /** Thinking blocks when a gateway like this one sent them; otherwise the bare reasoning text, unsigned. */
    private static List<Part> readThinking(ObjectNode message) {
        if (message.get(ChatWire.THINKING_BLOCKS) instanceof ArrayNode blocks) {
            List<Part> parts = new ArrayList<>(blocks.size());
            for (JsonNode block : blocks) {
                Part part = ChatWire.thinkingPart(block);
                if (part != null) {
                    parts.add(part);
                }
            }
            return parts;
        }
        String reasoning = ChatWire.textOrNull(message.get(ChatWire.REASONING_CONTENT));
        if (reasoning == null) {
            reasoning = ChatWire.textOrNull(message.get(ChatWire.REASONING));
        }
        return reasoning == null || reasoning.isEmpty() ? List.of() : List.of(new Part.Thinking(reasoning, null));
    }

    private static GatewayException broken(String problem) {
        return new GatewayException(new GatewayError(ErrorKind.UPSTREAM_BROKEN,
                "The upstream's chat completion " + problem, "invalid_upstream_response"));
    }

    @Override
    public StreamDecoder streamDecoder() {
        return new ChatStreamDecoder();
    }

    /**
     * OpenAI's {@code {"error":{"message","type","code"}}}; also the shapes of compatible servers (Ollama's
     * {@code {"error":"…"}}, vLLM's top-level {@code message}), and bodies that are not JSON at all, such as a
     * proxy's HTML page.
     */
    @Override
    public GatewayError decodeError(int status, Buffer body) {
        String raw = body == null ? "" : body.toString(StandardCharsets.UTF_8);
        ObjectNode json = EventJson.parseObject(raw);
        String message = null;
        String code = null;
        if (json != null) {
            JsonNode error = json.get("error");
            if (error instanceof ObjectNode details) {
                message = ChatWire.textOrNull(details.get("message"));
                code = ChatWire.textOrNull(details.get("code"));
                if (code == null) {
                    code = ChatWire.textOrNull(details.get("type"));
                }
            } else if (error != null && error.isTextual()) {
                message = error.textValue();
            } else {
                message = ChatWire.textOrNull(json.get("message"));
                code = ChatWire.textOrNull(json.get("type"));
            }
        }
        if (message == null) {
            String trimmed = raw.strip();
            message = trimmed.isEmpty() ? "The upstream answered HTTP " + status
                    : "The upstream answered HTTP " + status + ": "
                    + (trimmed.length() > RAW_ERROR_LIMIT ? trimmed.substring(0, RAW_ERROR_LIMIT) + "…" : trimmed);
        }
        return new GatewayError(ChatWire.errorKind(status), status, message, code);
    }
}
