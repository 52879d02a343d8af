package io.gatehouse.provider.openai.responses;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.pipeline.Json;
import io.gatehouse.provider.translate.StopReason;
import io.gatehouse.provider.translate.TokenUsage;

/**
 * The pieces of a Responses API {@code Response} the plain and the streamed answer share: ids, output items, usage,
 * and how a stop reason reads. Field order follows OpenAI's own bodies, so a golden diff reads like the real thing.
 */
final class OutputItems {
    static final String MESSAGE = "msg";
    static final String FUNCTION_CALL = "fc";
    static final String REASONING = "rs";

    /**
     * Marks a reasoning item's {@code encrypted_content} as an Anthropic {@code redacted_thinking} block's data rather
     * than a thinking block's signature, so the client's next turn brings it back as redacted thinking. A real
     * OpenAI {@code encrypted_content} never starts with it.
     */
    static final String REDACTED_THINKING_PREFIX = "gatehouse.redacted_thinking:";

    /**
     * The arguments of a call that took none, as OpenAI sends them and clients parse them; some providers stream
     * nothing at all for such a call.
     */
    static final String NO_ARGUMENTS = "{}";

    /** Stands in when a decoder gave no upstream id; it never does for a well-formed answer. */
    private static final String UNKNOWN_UPSTREAM_ID = "gatehouse";

    private OutputItems() {
    }

    /** The Responses id of an upstream answer: its own id under OpenAI's {@code resp_} prefix, so logs match up. */
    static String responseId(String upstreamId) {
        String id = upstreamId == null || upstreamId.isEmpty() ? UNKNOWN_UPSTREAM_ID : upstreamId;
        return id.startsWith("resp_") ? id : "resp_" + id;
    }

    /** An output item's id, derived from the response id and its place in the output: the same answer, the same ids. */
    static String itemId(String kind, String responseId, int outputIndex) {
        return kind + "_" + responseId.substring("resp_".length()) + "_" + outputIndex;
    }

    /** The {@code incomplete_details.reason} for a stop reason, or null when the response is complete. */
    static String incompleteReason(StopReason stopReason) {
        if (stopReason == null) {
            return null;
        }
        return switch (stopReason) {
            case MAX_TOKENS -> "max_output_tokens";
            case CONTENT_FILTER -> "content_filter";
            // PAUSE comes only with Anthropic's server tools, which requests through this API cannot ask for.
            case END_TURN, STOP_SEQUENCE, TOOL_USE, PAUSE -> null;
        };
    }

    static String arguments(String arguments) {
        return arguments == null || arguments.isEmpty() ? NO_ARGUMENTS : arguments;
    }

    static ObjectNode message(String id, String status, String text) {
        ObjectNode item = messageShell(id, status);
        item.withArray("content").add(outputText(text));
        return item;
    }

    /** A message as {@code response.output_item.added} announces it, before its text. */
    static ObjectNode messageShell(String id, String status) {
        ObjectNode item = Json.MAPPER.createObjectNode();
        item.put("id", id);
        item.put("type", "message");
        item.put("status", status);
        item.putArray("content");
        item.put("role", "assistant");
        return item;
    }

    static ObjectNode outputText(String text) {
        ObjectNode part = Json.MAPPER.createObjectNode();
        part.put("type", "output_text");
        part.putArray("annotations");
        part.putArray("logprobs");
        part.put("text", text);
        return part;
    }

    static ObjectNode functionCall(String id, String status, String callId, String name, String arguments) {
        ObjectNode item = Json.MAPPER.createObjectNode();
        item.put("id", id);
        item.put("type", "function_call");
        item.put("status", status);
        item.put("arguments", arguments);
        item.put("call_id", callId);
        item.put("name", name);
        return item;
    }

    /**
     * A reasoning item: the thinking text as its one summary part (none when empty) and the provider's signature as
     * {@code encrypted_content}, which the client sends back verbatim with its next turn.
     */
    static ObjectNode reasoning(String id, String summaryText, String encryptedContent) {
        ObjectNode item = Json.MAPPER.createObjectNode();
        item.put("id", id);
        item.put("type", "reasoning");
        ArrayNode summary = item.putArray("summary");
        if (summaryText != null && !summaryText.isEmpty()) {
            summary.add(summaryText(summaryText));
        }
        if (encryptedContent != null) {
            item.put("encrypted_content", encryptedContent);
        }
        return item;
    }

    static ObjectNode summaryText(String text) {
        ObjectNode part = Json.MAPPER.createObjectNode();
        part.put("type", "summary_text");
        part.put("text", text);
        return part;
    }

    /**
     * {@code usage} with the details objects the SDKs require; tokens read from and written to the provider's cache
     * are part of the input tokens.
     */
    static ObjectNode usage(TokenUsage usage) {
        ObjectNode json = Json.MAPPER.createObjectNode();
        json.put("input_tokens", usage.inputTokens());
        json.putObject("input_tokens_details")
                .put("cached_tokens", usage.cachedInputTokens())
                .put("cache_write_tokens", usage.cacheWriteTokens());
        json.put("output_tokens", usage.outputTokens());
        json.putObject("output_tokens_details").put("reasoning_tokens", usage.reasoningTokens());
        json.put("total_tokens", usage.totalTokens());
        return json;
    }
}
