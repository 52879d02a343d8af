package io.gatehouse.replay;

import java.util.Map;

/**
 * One request record: what the client sent to the gateway.
 *
 * @param path      the path as the client sent it, without the query
 * @param query     the raw query string, "" when none
 * @param headers   lower-case names; credentials the recorder redacted carry {@link ReplayHeaders#REDACTED}
 * @param provider  the name of the provider the gateway routed the call to, or null
 * @param startTime epoch seconds; NaN when the record has none
 * @param location  {@code file:line} of the record, for messages
 */
record RecordedRequest(String requestId, String method, String path, String query, Map<String, String> headers,
                       RecordedBody body, String provider, double startTime, String location) {

    /** Path and query, as a client puts them after the host. */
    String pathAndQuery() {
        return query.isEmpty() ? path : path + "?" + query;
    }
}
