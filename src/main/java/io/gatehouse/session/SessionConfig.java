package io.gatehouse.session;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * The {@code session:} block of the seed README, which the seed itself ignores.
 *
 * @param enabled                   whether the gateway tracks sessions at all (read by whoever wires the tracker)
 * @param maxSessions               live sessions kept; past it the least recently used one ends (EVICTED)
 * @param sessionTtlSeconds         a session idle for longer than this ends (EXPIRED)
 * @param enableFuzzyMatching       turns on the README's heuristics: fuzzy matching of a history that no
 *                                  longer matches exactly, and reset phrases that start a new session
 * @param similarityThreshold       the least prefix similarity (0–1) a fuzzy match needs
 * @param maxMessagesForNewSession  a request with at most this many messages and at most one model turn
 *                                  looks like a new conversation, so it is never fuzzy-matched
 * @param resetPhrases              phrases that, in a request's closing user message, start a new session
 *                                  (only with {@code enable_fuzzy_matching}; an empty list turns them off alone)
 */
public record SessionConfig(
        Boolean enabled,
        @JsonProperty("max_sessions") Integer maxSessions,
        @JsonProperty("session_ttl_seconds") Long sessionTtlSeconds,
        @JsonProperty("enable_fuzzy_matching") Boolean enableFuzzyMatching,
        @JsonProperty("similarity_threshold") Double similarityThreshold,
        @JsonProperty("max_messages_for_new_session") Integer maxMessagesForNewSession,
        @JsonProperty("reset_phrases") List<String> resetPhrases) {

    public static final int DEFAULT_MAX_SESSIONS = 10_000;
    public static final long DEFAULT_SESSION_TTL_SECONDS = 3600;
    public static final double DEFAULT_SIMILARITY_THRESHOLD = 0.85;
    public static final int DEFAULT_MAX_MESSAGES_FOR_NEW_SESSION = 3;
    public static final List<String> DEFAULT_RESET_PHRASES = List.of(
            "start over", "new conversation", "reset", "clear", "begin again", "fresh start", "new session",
            "new chat");

    public SessionConfig {
        enabled = enabled == null || enabled;
        maxSessions = maxSessions == null ? DEFAULT_MAX_SESSIONS : maxSessions;
        sessionTtlSeconds = sessionTtlSeconds == null ? DEFAULT_SESSION_TTL_SECONDS : sessionTtlSeconds;
        enableFuzzyMatching = enableFuzzyMatching != null && enableFuzzyMatching;
        similarityThreshold = similarityThreshold == null ? DEFAULT_SIMILARITY_THRESHOLD : similarityThreshold;
        maxMessagesForNewSession = maxMessagesForNewSession == null
                ? DEFAULT_MAX_MESSAGES_FOR_NEW_SESSION : maxMessagesForNewSession;
        resetPhrases = resetPhrases == null ? DEFAULT_RESET_PHRASES : List.copyOf(resetPhrases);
    }

    public static SessionConfig defaults() {
        return new SessionConfig(null, null, null, null, null, null, null);
    }
}
