package io.gatehouse.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.pipeline.ErrorKind;
import io.gatehouse.pipeline.GatewayError;
import io.gatehouse.pipeline.GatewayException;
import io.gatehouse.provider.translate.StopReason;
import io.gatehouse.provider.translate.TokenUsage;

/** What a plain GenerateContentResponse and a streamed one read alike: stop reasons, usage, tool call ids. */
final class GeminiResponses {

    private GeminiResponses() {
    }

    /**
     * Gemini's finishReason in unified terms. STOP is the end of the turn, or a tool turn when the model called
     * functions (Gemini has no reason of its own for that); it also covers a stop sequence, which Gemini does not
     * report apart. Every safety-type reason (SAFETY, RECITATION, BLOCKLIST, PROHIBITED_CONTENT, SPII and their
     * IMAGE_ variants) is a content filter. The failures with no unified name (MALFORMED_FUNCTION_CALL, LANGUAGE,
     * OTHER, TOO_MANY_TOOL_CALLS…) end the turn as it stands: the content shows what the model managed.
     */
    static StopReason stopReason(String finishReason, boolean calledFunctions) {
        if (finishReason == null) {
            return calledFunctions ? StopReason.TOOL_USE : StopReason.END_TURN;
        }
        return switch (finishReason) {
            case "MAX_TOKENS" -> StopReason.MAX_TOKENS;
            case "SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY",
                 "IMAGE_PROHIBITED_CONTENT", "IMAGE_RECITATION" -> StopReason.CONTENT_FILTER;
            default -> calledFunctions ? StopReason.TOOL_USE : StopReason.END_TURN;
        };
    }

    /**
     * usageMetadata in unified terms: the prompt count includes cached tokens, as the unified input does; output
     * adds the thinking tokens, which Gemini counts apart from the candidates'. Null when there is none.
     */
    static TokenUsage usage(JsonNode usageMetadata) {
        if (usageMetadata == null || !usageMetadata.isObject()) {
            return null;
        }
        long thoughts = usageMetadata.path("thoughtsTokenCount").asLong();
        return new TokenUsage(
                usageMetadata.path("promptTokenCount").asLong(),
                usageMetadata.path("candidatesTokenCount").asLong() + thoughts,
                usageMetadata.path("cachedContentTokenCount").asLong(),
                0,
                thoughts);
    }

    /**
     * The id of a function call: Gemini's own when it sends one, else one made from the response id and the call's
     * position among the response's calls, so the same response always gets the same ids. Only the characters
     * every client API accepts in an id are kept.
     */
    static String toolCallId(JsonNode functionCall, String responseId, int ordinal) {
        JsonNode id = functionCall.get("id");
        if (id != null && id.isTextual() && !id.asText().isEmpty()) {
            return id.asText();
        }
        StringBuilder made = new StringBuilder("call_");
        String base = responseId == null || responseId.isEmpty() ? "gemini" : responseId;
        for (int i = 0; i < base.length(); i++) {
            char c = base.charAt(i);
            boolean safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
            made.append(safe ? c : '_');
        }
        return made.append('_').append(ordinal).toString();
    }

    static String textOrNull(JsonNode node) {
        return node != null && node.isTextual() ? node.asText() : null;
    }

    /** The upstream answered 200 with something that is not a GenerateContentResponse. */
    static GatewayException malformed(String what) {
        return new GatewayException(new GatewayError(ErrorKind.UPSTREAM_BROKEN,
                "Gemini answered with a malformed GenerateContentResponse: " + what, "malformed_response"));
    }
}
