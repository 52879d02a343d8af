package io.gatehouse.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.pipeline.ErrorKind;
import io.gatehouse.pipeline.Json;
import io.gatehouse.provider.translate.Part;
import io.gatehouse.provider.translate.StopReason;
import io.gatehouse.provider.translate.TokenUsage;

/**
 * The pieces of the Chat Completions wire format both directions share: finish reasons, usage, the thinking blocks
 * carried on assistant messages, and the error kinds of statuses.
 */
final class ChatWire {
    /**
     * Where thinking blocks travel on an assistant message, each in Anthropic's content block shape
     * ({@code {"type":"thinking","thinking","signature"}}, {@code {"type":"redacted_thinking","data"}}). Chat
     * Completions has no field for them; this is the one LiteLLM uses, so clients written against it keep working.
     * A client sends the message back as it got it, and the signatures reach the provider that signed them.
     */
    static final String THINKING_BLOCKS = "thinking_blocks";
    /**
     * The reasoning text: DeepSeek's field, which vLLM, LiteLLM and the OpenAI-compatible clients built for them
     * (LangChain, the Vercel AI SDK) read. OpenAI's own models never show their reasoning in Chat Completions.
     */
    static final String REASONING_CONTENT = "reasoning_content";
    /** The name newer vLLM and Ollama use for the same text. */
    static final String REASONING = "reasoning";

    private ChatWire() {
    }

    static String finishReason(StopReason reason) {
        if (reason == null) {
            return "stop";
        }
        return switch (reason) {
            case END_TURN, STOP_SEQUENCE -> "stop";
            case MAX_TOKENS -> "length";
            case TOOL_USE -> "tool_calls";
            case CONTENT_FILTER -> "content_filter";
            // Only follows Anthropic's server tools, which an OpenAI client has no way to ask for.
            case PAUSE -> "stop";
        };
    }

    /** A finish reason as OpenAI or an OpenAI-compatible server sends it; unknown ones count as a normal end. */
    static StopReason stopReason(String finishReason) {
        if (finishReason == null) {
            return StopReason.END_TURN;
        }
        return switch (finishReason) {
            case "length" -> StopReason.MAX_TOKENS;
            case "tool_calls", "function_call" -> StopReason.TOOL_USE;
            case "content_filter" -> StopReason.CONTENT_FILTER;
            default -> StopReason.END_TURN;
        };
    }

    /**
     * vLLM names the stop sequence that ended the answer in the choice's {@code stop_reason} (a token id, when a
     * stop token did), where OpenAI says only "stop". Read from upstreams, and written for clients, so the stop
     * sequence another provider reports is not lost; OpenAI's SDKs keep unknown fields, others ignore it.
     */
    static final String STOP_REASON = "stop_reason";

    /** The stop sequence a choice names, or null when it names none. */
    static String matchedStopSequence(JsonNode choice) {
        JsonNode stopReason = choice.get(STOP_REASON);
        return stopReason != null && stopReason.isTextual() ? stopReason.textValue() : null;
    }

    /** The stop sequence to write on a choice, or null when the answer did not end on one. */
    static String matchedStopSequence(StopReason reason, String stopSequence) {
        return reason == StopReason.STOP_SEQUENCE ? stopSequence : null;
    }

    /** Usage as OpenAI reports it, or null when the node is not a usage object. Missing counts read as 0. */
    static TokenUsage usage(JsonNode usage) {
        if (!(usage instanceof ObjectNode)) {
            return null;
        }
        return new TokenUsage(
                usage.path("prompt_tokens").asLong(0),
                usage.path("completion_tokens").asLong(0),
                usage.path("prompt_tokens_details").path("cached_tokens").asLong(0),
                0,
                usage.path("completion_tokens_details").path("reasoning_tokens").asLong(0));
    }

    /** Usage in OpenAI's shape. Anthropic's cache writes have no field in it and are left out. */
    static ObjectNode usageJson(TokenUsage usage) {
        ObjectNode json = Json.MAPPER.createObjectNode();
        json.put("prompt_tokens", usage.inputTokens());
        json.put("completion_tokens", usage.outputTokens());
        json.put("total_tokens", usage.totalTokens());
        json.putObject("prompt_tokens_details").put("cached_tokens", usage.cachedInputTokens());
        json.putObject("completion_tokens_details").put("reasoning_tokens", usage.reasoningTokens());
        return json;
    }

    static ObjectNode thinkingBlock(String text, String signature) {
        ObjectNode block = Json.MAPPER.createObjectNode();
        block.put("type", "thinking");
        block.put("thinking", text);
        if (signature != null) {
            block.put("signature", signature);
        }
        return block;
    }

    static ObjectNode redactedThinkingBlock(String data) {
        ObjectNode block = Json.MAPPER.createObjectNode();
        block.put("type", "redacted_thinking");
        block.put("data", data);
        return block;
    }

    /** The block in the unified shape, or null when it is neither kind of thinking block. */
    static Part thinkingPart(JsonNode block) {
        String type = block.path("type").asText("");
        return switch (type) {
            case "thinking" -> new Part.Thinking(block.path("thinking").asText(""), textOrNull(block.get("signature")));
            case "redacted_thinking" -> new Part.RedactedThinking(block.path("data").asText(""));
            default -> null;
        };
    }

    static String textOrNull(JsonNode value) {
        return value != null && value.isTextual() ? value.textValue() : null;
    }

    /** The kind of an upstream's HTTP error status. */
    static ErrorKind errorKind(int status) {
        return switch (status) {
            case 400, 422 -> ErrorKind.INVALID_REQUEST;
            case 401 -> ErrorKind.AUTHENTICATION;
            case 403 -> ErrorKind.PERMISSION;
            case 404 -> ErrorKind.NOT_FOUND;
            case 413 -> ErrorKind.REQUEST_TOO_LARGE;
            case 429 -> ErrorKind.RATE_LIMIT;
            case 408, 504 -> ErrorKind.UPSTREAM_TIMEOUT;
            default -> status >= 500 ? ErrorKind.INTERNAL : ErrorKind.INVALID_REQUEST;
        };
    }
}
