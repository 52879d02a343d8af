package io.gatehouse.cost;

import java.util.Locale;

/** The billable LLM APIs the gateway meters, told apart by provider type and path. */
public enum Endpoint {
    /** OpenAI Chat Completions ({@code /v1/chat/completions}, Azure's deployment paths, compatible servers). */
    CHAT,
    /** OpenAI Responses ({@code /v1/responses}). */
    RESPONSES,
    /** OpenAI legacy Completions ({@code /v1/completions}). */
    COMPLETIONS,
    /** OpenAI Embeddings ({@code /v1/embeddings}). */
    EMBEDDINGS,
    /** Anthropic Messages ({@code /v1/messages}). */
    MESSAGES;

    /**
     * The API a {@code POST} to {@code path} on a {@code providerType} upstream calls, or null when it is not one the
     * gateway meters (model lists, files, token counting, images, audio).
     */
    public static Endpoint of(String providerType, String path) {
        if (providerType == null || path == null) {
            return null;
        }
        int query = path.indexOf('?');
        String route = (query < 0 ? path : path.substring(0, query)).toLowerCase(Locale.ROOT);
        if (route.endsWith("/")) {
            route = route.substring(0, route.length() - 1);
        }
        if ("anthropic".equalsIgnoreCase(providerType)) {
            return route.endsWith("/messages") ? MESSAGES : null;
        }
        if (!"openai".equalsIgnoreCase(providerType)) {
            return null;
        }
        if (route.endsWith("/chat/completions")) {
            return CHAT;
        }
        if (route.endsWith("/responses")) {
            return RESPONSES;
        }
        if (route.endsWith("/completions")) {
            return COMPLETIONS;
        }
        if (route.endsWith("/embeddings")) {
            return EMBEDDINGS;
        }
        return null;
    }
}
