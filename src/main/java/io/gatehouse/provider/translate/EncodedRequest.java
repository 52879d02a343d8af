package io.gatehouse.provider.translate;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Map;

/**
 * A request as the target provider takes it.
 *
 * @param path    the path below the provider's base URL, starting with '/' (Gemini {@code /v1beta/models/m:generateContent})
 * @param query   the query string without '?', or null
 * @param headers headers the provider's API needs on top of the client's (anthropic-version…), never credentials:
 *                the gateway applies those
 * @param body    the JSON body
 */
public record EncodedRequest(String path, String query, Map<String, String> headers, JsonNode body) {
    public EncodedRequest {
        headers = Map.copyOf(headers);
    }
}
