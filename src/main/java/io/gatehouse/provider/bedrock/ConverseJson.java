package io.gatehouse.provider.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.pipeline.ErrorKind;
import io.gatehouse.pipeline.GatewayError;
import io.gatehouse.pipeline.GatewayException;
import io.gatehouse.provider.translate.StopReason;
import io.gatehouse.provider.translate.TokenUsage;

/** Pieces of Converse's answers that the plain response and the stream share. */
final class ConverseJson {

    private ConverseJson() {
    }

    /**
     * Converse's stop reason in the unified terms. Bedrock stops for a guardrail or a content filter where other
     * providers refuse; it reports {@code model_context_window_exceeded} where the output was cut like
     * {@code max_tokens}; the {@code malformed_*} reasons end a turn whose output the model botched.
     */
    static StopReason stopReason(String reason) {
        if (reason == null) {
            return StopReason.END_TURN;
        }
        return switch (reason) {
            case "tool_use" -> StopReason.TOOL_USE;
            case "max_tokens", "model_context_window_exceeded" -> StopReason.MAX_TOKENS;
            case "stop_sequence" -> StopReason.STOP_SEQUENCE;
            case "guardrail_intervened", "content_filtered" -> StopReason.CONTENT_FILTER;
            default -> StopReason.END_TURN;
        };
    }

    /**
     * The stop sequence that ended the answer, which Converse reports only among the model's own fields (Anthropic
     * models put it in {@code additionalModelResponseFields.stop_sequence}); null when absent.
     */
    static String stopSequence(JsonNode additionalFields) {
        JsonNode sequence = additionalFields == null ? null : additionalFields.get("stop_sequence");
        return sequence != null && sequence.isTextual() ? sequence.asText() : null;
    }

    /**
     * Converse's {@code usage}, whose {@code inputTokens} leaves out the prompt tokens read from or written to the
     * cache: the unified count includes them.
     */
    static TokenUsage usage(JsonNode usage) {
        if (usage == null || !usage.isObject()) {
            return null;
        }
        long cacheRead = count(usage, "cacheReadInputTokens");
        long cacheWrite = count(usage, "cacheWriteInputTokens");
        return new TokenUsage(count(usage, "inputTokens") + cacheRead + cacheWrite, count(usage, "outputTokens"),
                cacheRead, cacheWrite, 0);
    }

    /** An answer Bedrock should not have sent: the upstream's fault, not the client's. */
    static GatewayException malformed(String what) {
        return new GatewayException(new GatewayError(ErrorKind.UPSTREAM_BROKEN,
                "Bedrock sent a malformed response: " + what, "upstream_broken"));
    }

    private static long count(JsonNode usage, String field) {
        JsonNode value = usage.get(field);
        if (value == null || value.isNull()) {
            return 0;
        }
        if (!value.canConvertToLong()) {
            throw malformed("usage." + field + " is not a number");
        }
        return value.asLong();
    }
}
