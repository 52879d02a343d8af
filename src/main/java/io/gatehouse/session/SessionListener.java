package io.gatehouse.session;

/**
 * Told when a session ends, so the events layer can emit {@code session.end}. Called once per session, outside
 * the tracker's lock, on the thread whose call ended it; it should hand the work off rather than block.
 */
@FunctionalInterface
public interface SessionListener {

    SessionListener NONE = (sessionId, reason) -> {
    };

    void onSessionEnd(String sessionId, EndReason reason);

    enum EndReason {
        /** Idle for longer than {@code session_ttl_seconds}. */
        EXPIRED,
        /** Pushed out, least recently used first, to stay within {@code max_sessions}. */
        EVICTED
    }
}
