package io.gatehouse.cost;

import com.fasterxml.jackson.databind.JsonNode;

/** The usage an upstream reported in a response body (streams assembled first), normalised to {@link CallUsage}. */
final class ReportedUsage {

    private ReportedUsage() {
    }

    /** The body's usage, or null when it reports none (no {@code usage} object, or one without token counts). */
    static CallUsage of(Endpoint endpoint, JsonNode body) {
        JsonNode usage = body == null ? null : body.path("usage");
        if (usage == null || !usage.isObject()) {
            return null;
        }
        return switch (endpoint) {
            case CHAT, COMPLETIONS, EMBEDDINGS -> openAi(usage, "prompt_tokens", "completion_tokens",
                    "prompt_tokens_details", "completion_tokens_details");
            case RESPONSES -> openAi(usage, "input_tokens", "output_tokens", "input_tokens_details", "output_tokens_details");
            case MESSAGES -> anthropic(usage);
        };
    }

    private static CallUsage openAi(JsonNode usage, String inputField, String outputField, String inputDetails,
                                    String outputDetails) {
        if (!usage.path(inputField).isIntegralNumber() && !usage.path(outputField).isIntegralNumber()) {
            return null;
        }
        return new CallUsage(count(usage, inputField), count(usage.path(inputDetails), "cached_tokens"), 0, 0,
                count(usage, outputField), count(usage.path(outputDetails), "reasoning_tokens"), false);
    }

    /** Anthropic counts cache reads and writes apart from {@code input_tokens}; they are all prompt tokens. */
    private static CallUsage anthropic(JsonNode usage) {
        if (!usage.path("input_tokens").isIntegralNumber() && !usage.path("output_tokens").isIntegralNumber()) {
            return null;
        }
        long cacheRead = count(usage, "cache_read_input_tokens");
        long cacheWrite = count(usage, "cache_creation_input_tokens");
        long cacheWrite1h = Math.min(cacheWrite, count(usage.path("cache_creation"), "ephemeral_1h_input_tokens"));
        return new CallUsage(count(usage, "input_tokens") + cacheRead + cacheWrite, cacheRead, cacheWrite, cacheWrite1h,
                count(usage, "output_tokens"), 0, false);
    }

    private static long count(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isIntegralNumber() ? Math.max(0, value.longValue()) : 0;
    }
}
