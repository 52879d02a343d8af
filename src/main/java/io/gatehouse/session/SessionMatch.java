package io.gatehouse.session;

/**
 * Where a request landed.
 *
 * @param isNew              the request started this session
 * @param isFragmented       a new session for a request that looks like the middle of a conversation, whose
 *                           earlier state is unknown (expired, evicted, or from before a restart)
 * @param lastProcessedIndex messages below this index were already seen in this session; only the ones from
 *                           here on are new. 0 after {@code previous_response_id}, whose {@code input} holds
 *                           new items only
 */
public record SessionMatch(String sessionId, boolean isNew, boolean isFragmented, int lastProcessedIndex,
                           Kind kind) {

    public enum Kind {
        /** A new conversation. */
        NEW,
        /** A new session forced by a reset phrase in the closing user message. */
        RESET,
        /** Continued because the history before the latest model turn matched a known state. */
        SIGNATURE,
        /** Continued because the opening messages were similar enough to a recently active session. */
        FUZZY,
        /** Continued through a Responses API {@code previous_response_id}. */
        PREVIOUS_RESPONSE,
        /** Created under a client-given session id seen for the first time. */
        EXTERNAL_NEW,
        /** Continued under a client-given session id. */
        EXTERNAL
    }

    static SessionMatch created(String sessionId, Kind kind, boolean fragmented) {
        return new SessionMatch(sessionId, true, fragmented, 0, kind);
    }

    static SessionMatch continued(String sessionId, Kind kind, int lastProcessedIndex) {
        return new SessionMatch(sessionId, false, false, lastProcessedIndex, kind);
    }
}
