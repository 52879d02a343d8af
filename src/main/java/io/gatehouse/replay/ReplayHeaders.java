package io.gatehouse.replay;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Which recorded headers are sent again, in each direction. */
final class ReplayHeaders {
    /** What the recorder writes in place of a credential. */
    static final String REDACTED = "[REDACTED]";

    /**
     * Hop-by-hop headers (RFC 9110 §7.6.1) describe the recorded connection, not the call; the length and
     * encoding are the sending client's business, as the body is resent decoded and possibly re-serialised.
     */
    private static final Set<String> CONNECTION_HEADERS = Set.of(
            "connection", "keep-alive", "proxy-connection", "proxy-authenticate", "proxy-authorization",
            "te", "trailer", "transfer-encoding", "upgrade", "host", "content-length", "expect");

    private ReplayHeaders() {
    }

    /**
     * The recorded client headers to send again: all but connection headers, redacted credentials, and
     * {@code accept-encoding} (the recording holds the decoded body, and so should the comparison).
     */
    static Map<String, String> forRequest(Map<String, String> recorded) {
        Map<String, String> headers = new LinkedHashMap<>();
        recorded.forEach((name, value) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!CONNECTION_HEADERS.contains(lower) && !lower.equals("accept-encoding") && !REDACTED.equals(value)) {
                headers.put(lower, value);
            }
        });
        return headers;
    }

    /**
     * The recorded response headers to answer with: all but connection headers, redacted ones, the body's encoding
     * (it was recorded decoded) and the gateway's own {@code x-gatehouse-*}, which the replaying gateway sets anew.
     */
    static Map<String, String> forResponse(Map<String, String> recorded) {
        Map<String, String> headers = new LinkedHashMap<>();
        recorded.forEach((name, value) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!CONNECTION_HEADERS.contains(lower) && !lower.equals("content-encoding")
                    && !lower.startsWith("x-gatehouse-") && !REDACTED.equals(value)) {
                headers.put(lower, value);
            }
        });
        return headers;
    }
}
