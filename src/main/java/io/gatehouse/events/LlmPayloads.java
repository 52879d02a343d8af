package io.gatehouse.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.pipeline.Json;
import io.gatehouse.session.ApiFormat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads what events report from request and response bodies, in each API's own shape: tool results among the
 * request's messages, tool calls, content and usage of a response, and the error a body carries. Works on the
 * unstreamed response shape only; streams are assembled into it first, so both report the same.
 */
final class LlmPayloads {

    /** A tool result the client sends back. {@code name} is null when no call with its id is known. */
    record ToolResult(String callId, String name, JsonNode result, boolean isError) {
    }

    /** A tool call the model made. */
    record ToolCall(String id, String name, JsonNode params) {
    }

    /** Token counts; a count the response did not give is null. */
    record Usage(Long input, Long output, Long total, Long cacheRead, Long cacheCreation) {
    }

    /** The error a body reports. */
    record Failure(String type, String message) {
    }

    private LlmPayloads() {
    }

    /** The request's history array: {@code messages}, or the Responses API's {@code input} when it is a list. */
    static JsonNode history(ApiFormat format, JsonNode body) {
        JsonNode history = body.path(format == ApiFormat.OPENAI_RESPONSES ? "input" : "messages");
        return history.isArray() ? history : Json.MAPPER.createArrayNode();
    }

    /**
     * The tool results among {@code history[from..]}, in order. Names come from the tool calls earlier in the
     * same history, else from {@code knownNames} (calls seen in earlier responses of the session).
     */
    static List<ToolResult> toolResults(ApiFormat format, JsonNode history, int from,
                                        Function<String, String> knownNames) {
        Map<String, String> names = new HashMap<>();
        List<ToolResult> results = new ArrayList<>();
        for (int index = 0; index < history.size(); index++) {
            JsonNode message = history.get(index);
            boolean isNew = index >= from;
            switch (format) {
                case OPENAI_CHAT -> {
                    message.path("tool_calls").forEach(call ->
                            names.put(call.path("id").asText(), call.path("function").path("name").textValue()));
                    String role = message.path("role").textValue();
                    if (isNew && "tool".equals(role)) {
                        String callId = message.path("tool_call_id").textValue();
                        String name = message.path("name").isTextual() ? message.path("name").textValue() : names.get(callId);
                        results.add(new ToolResult(callId, name, message.path("content"), false));
                    } else if (isNew && "function".equals(role)) {
                        // The deprecated functions API: the result names its function and has no call id.
                        results.add(new ToolResult(null, message.path("name").textValue(), message.path("content"), false));
                    }
                }
                case OPENAI_RESPONSES -> {
                    String type = message.path("type").textValue();
                    if ("function_call".equals(type)) {
                        names.put(message.path("call_id").asText(), message.path("name").textValue());
                    } else if (isNew && "function_call_output".equals(type)) {
                        String callId = message.path("call_id").textValue();
                        results.add(new ToolResult(callId, names.get(callId), message.path("output"), false));
                    }
                }
                case ANTHROPIC_MESSAGES -> {
                    for (JsonNode block : message.path("content")) {
                        String type = block.path("type").textValue();
                        if ("tool_use".equals(type)) {
                            names.put(block.path("id").asText(), block.path("name").textValue());
                        } else if (isNew && "tool_result".equals(type)) {
                            String callId = block.path("tool_use_id").textValue();
                            results.add(new ToolResult(callId, names.get(callId), block.path("content"),
                                    block.path("is_error").asBoolean(false)));
                        }
                    }
                }
            }
        }
        return results.stream()
                .map(result -> result.name() != null ? result
                        : new ToolResult(result.callId(), knownNames.apply(result.callId()), result.result(), result.isError()))
                .toList();
    }

    /** The tool calls in an unstreamed response body, in order. */
    static List<ToolCall> toolCalls(ApiFormat format, JsonNode response) {
        List<ToolCall> calls = new ArrayList<>();
        switch (format) {
            case OPENAI_CHAT -> response.path("choices").forEach(choice -> {
                JsonNode message = choice.path("message");
                message.path("tool_calls").forEach(call -> calls.add(new ToolCall(
                        call.path("id").textValue(), call.path("function").path("name").textValue(),
                        arguments(call.path("function").path("arguments")))));
                JsonNode legacyCall = message.path("function_call");
                if (legacyCall.isObject()) {
                    // The deprecated functions API: one call per message, without an id.
                    calls.add(new ToolCall(null, legacyCall.path("name").textValue(), arguments(legacyCall.path("arguments"))));
                }
            });
            case OPENAI_RESPONSES -> response.path("output").forEach(item -> {
                if ("function_call".equals(item.path("type").textValue())) {
                    calls.add(new ToolCall(item.path("call_id").textValue(), item.path("name").textValue(),
                            arguments(item.path("arguments"))));
                }
            });
            case ANTHROPIC_MESSAGES -> response.path("content").forEach(block -> {
                if ("tool_use".equals(block.path("type").textValue())) {
                    calls.add(new ToolCall(block.path("id").textValue(), block.path("name").textValue(), block.path("input")));
                }
            });
        }
        return calls;
    }

    /** The seed's {@code llm.response.content}: the choices' messages, the Responses output, or Anthropic's content. */
    static JsonNode content(ApiFormat format, JsonNode response) {
        return switch (format) {
            case OPENAI_CHAT -> {
                var messages = Json.MAPPER.createArrayNode();
                response.path("choices").forEach(choice -> messages.add(choice.path("message")));
                yield messages;
            }
            case OPENAI_RESPONSES -> response.path("output");
            case ANTHROPIC_MESSAGES -> response.path("content");
        };
    }

    /** Why the model stopped: the first choice's {@code finish_reason}, {@code stop_reason}, or the response status. */
    static String stopReason(ApiFormat format, JsonNode response) {
        return switch (format) {
            case OPENAI_CHAT -> response.path("choices").path(0).path("finish_reason").textValue();
            case OPENAI_RESPONSES -> response.path("status").textValue();
            case ANTHROPIC_MESSAGES -> response.path("stop_reason").textValue();
        };
    }

    /**
     * What identifies and qualifies an answer beyond its content, under {@code llm.response.*}: its {@code id}
     * (all APIs), OpenAI Chat's {@code system_fingerprint} and the first choice's {@code refusal}, Anthropic's
     * {@code stop_sequence}. Absent or null fields are left out.
     */
    static void putResponseExtras(ApiFormat format, JsonNode response, ObjectNode attributes) {
        putText(attributes, "llm.response.id", response.path("id"));
        switch (format) {
            case OPENAI_CHAT -> {
                putText(attributes, "llm.response.system_fingerprint", response.path("system_fingerprint"));
                putText(attributes, "llm.response.refusal", response.path("choices").path(0).path("message").path("refusal"));
            }
            case ANTHROPIC_MESSAGES -> putText(attributes, "llm.response.stop_sequence", response.path("stop_sequence"));
            case OPENAI_RESPONSES -> {
                // The Responses API's refusals are output items, already in the content.
            }
        }
    }

    private static void putText(ObjectNode attributes, String name, JsonNode value) {
        if (value.isTextual()) {
            attributes.put(name, value.textValue());
        }
    }

    /**
     * Token counts in each API's names. Anthropic reports cached input apart from {@code input_tokens}, so its
     * total adds the cache reads and writes; OpenAI's input counts already include the cached tokens.
     */
    static Usage usage(ApiFormat format, JsonNode response) {
        JsonNode usage = response.path("usage");
        if (!usage.isObject()) {
            return null;
        }
        return switch (format) {
            case OPENAI_CHAT -> new Usage(count(usage, "prompt_tokens"), count(usage, "completion_tokens"),
                    count(usage, "total_tokens"), count(usage.path("prompt_tokens_details"), "cached_tokens"), null);
            case OPENAI_RESPONSES -> new Usage(count(usage, "input_tokens"), count(usage, "output_tokens"),
                    count(usage, "total_tokens"), count(usage.path("input_tokens_details"), "cached_tokens"), null);
            case ANTHROPIC_MESSAGES -> {
                Long input = count(usage, "input_tokens");
                Long output = count(usage, "output_tokens");
                Long cacheRead = count(usage, "cache_read_input_tokens");
                Long cacheCreation = count(usage, "cache_creation_input_tokens");
                Long total = input == null && output == null ? null
                        : zeroIfNull(input) + zeroIfNull(output) + zeroIfNull(cacheRead) + zeroIfNull(cacheCreation);
                yield new Usage(input, output, total, cacheRead, cacheCreation);
            }
        };
    }

    /**
     * The error in a provider's error body ({@code {"error":{...}}} for OpenAI, also inside a Responses
     * {@code response.failed}; {@code {"type":"error","error":{...}}} for Anthropic), or null when it has none.
     */
    static Failure failure(JsonNode body) {
        if (body == null) {
            return null;
        }
        JsonNode error = body.path("error");
        if (!error.isObject()) {
            error = body.path("response").path("error");
        }
        if (!error.isObject()) {
            return null;
        }
        String type = error.path("type").isTextual() ? error.path("type").textValue() : error.path("code").textValue();
        return new Failure(type, error.path("message").textValue());
    }

    /** The seed's error type for a status whose body named none. */
    static String errorTypeForStatus(ApiFormat format, int status) {
        boolean anthropic = format == ApiFormat.ANTHROPIC_MESSAGES;
        return switch (status) {
            case 400 -> anthropic ? "invalid_request_error" : "bad_request";
            case 401 -> "authentication_error";
            case 403 -> "permission_denied";
            case 404 -> "not_found";
            case 429 -> "rate_limit_error";
            case 500 -> anthropic ? "api_error" : "server_error";
            case 502 -> "bad_gateway";
            case 503 -> "service_unavailable";
            case 529 -> "overloaded_error";
            default -> "http_" + status;
        };
    }

    /** Tool-call arguments as JSON; a string that is not JSON is kept as the seed keeps it, under raw_arguments. */
    private static JsonNode arguments(JsonNode arguments) {
        if (!arguments.isTextual()) {
            return arguments;
        }
        try {
            return Json.MAPPER.readTree(arguments.textValue());
        } catch (IOException e) {
            ObjectNode raw = Json.MAPPER.createObjectNode();
            return raw.put("raw_arguments", arguments.textValue());
        }
    }

    private static Long count(JsonNode usage, String field) {
        JsonNode value = usage.path(field);
        return value.isNumber() ? value.longValue() : null;
    }

    private static long zeroIfNull(Long value) {
        return value == null ? 0 : value;
    }
}
