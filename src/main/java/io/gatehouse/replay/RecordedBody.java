package io.gatehouse.replay;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.pipeline.Json;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A recorded request or response body, as the {@code http_recorder} writes it: {@code json} content is the parsed
 * body, {@code text} a string, {@code binary} base64, {@code empty} nothing. A body over the recorder's size limit
 * was not kept ({@code truncated}), so it cannot be sent again.
 */
record RecordedBody(String type, JsonNode content, boolean truncated) {
    static final RecordedBody EMPTY = new RecordedBody("empty", null, false);

    static RecordedBody of(JsonNode node) {
        if (node == null || !node.isObject()) {
            return EMPTY;
        }
        String type = node.path("type").asText("empty");
        JsonNode content = node.get("content");
        return new RecordedBody(type, content == null || content.isNull() ? null : content,
                node.path("truncated").asBoolean(false));
    }

    /**
     * The body's bytes; none when it was truncated or is not valid base64 ({@link #isDecodable}). JSON is written back
     * compactly, so its bytes may differ from the original's in white space, never in meaning.
     */
    byte[] bytes() {
        if (content == null || truncated || !isDecodable()) {
            return new byte[0];
        }
        return switch (type) {
            case "json" -> Json.write(content);
            case "binary" -> Base64.getDecoder().decode(content.asText());
            default -> content.isTextual() ? content.textValue().getBytes(StandardCharsets.UTF_8) : Json.write(content);
        };
    }

    /** False for a binary body whose content is not base64. */
    boolean isDecodable() {
        if (!"binary".equals(type) || content == null) {
            return true;
        }
        try {
            Base64.getDecoder().decode(content.asText());
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The text of a {@code text} body (a stream's SSE), else null. */
    String text() {
        return content != null && content.isTextual() && !"binary".equals(type) && !truncated ? content.textValue() : null;
    }
}
