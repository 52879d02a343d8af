package io.gatehouse.replay;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/** A response received while replaying: status, headers (lower-case names, first value) and the whole body. */
record LiveResponse(int status, Map<String, String> headers, byte[] body) {

    boolean isEventStream() {
        return contentType().startsWith("text/event-stream");
    }

    String contentType() {
        return headers.getOrDefault("content-type", "").toLowerCase(Locale.ROOT);
    }

    String text() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
