package io.gatehouse.session;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads a request body into a {@link Conversation}. Pure and lenient: a body that is not the expected shape
 * yields fewer messages, never an exception.
 */
public final class Conversations {
    private Conversations() {
    }

    public static Conversation fromOpenAiChat(JsonNode body) {
        return OpenAiChatParser.parse(body);
    }

    public static Conversation fromOpenAiResponses(JsonNode body) {
        return OpenAiResponsesParser.parse(body);
    }

    public static Conversation fromAnthropic(JsonNode body) {
        return AnthropicParser.parse(body);
    }

    /**
     * Picks the format as the seed does: Anthropic by provider type; for OpenAI, the Responses API when the path
     * names it or the body has {@code input} and no {@code messages}.
     */
    public static Conversation of(String providerType, String path, JsonNode body) {
        if ("anthropic".equalsIgnoreCase(providerType)) {
            return fromAnthropic(body);
        }
        boolean responsesApi = path.contains("/responses") || (body.has("input") && !body.has("messages"));
        return responsesApi ? fromOpenAiResponses(body) : fromOpenAiChat(body);
    }
}
