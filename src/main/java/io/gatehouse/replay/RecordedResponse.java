package io.gatehouse.replay;

import java.util.Locale;
import java.util.Map;

/** One response record: the status, headers and body the client received. */
record RecordedResponse(int status, Map<String, String> headers, RecordedBody body, boolean streaming) {

    /** A stream: flagged so, or sent as {@code text/event-stream}. */
    boolean isEventStream() {
        String contentType = headers.get("content-type");
        return streaming || (contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("text/event-stream"));
    }
}
