package io.gatehouse.session;

import java.util.LinkedHashMap;
import java.util.Map;

/** A point-in-time copy of the session counters. */
public record SessionMetrics(
        long sessionsCreated,
        long sessionsExpired,
        long sessionsEvicted,
        long sessionsFragmented,
        long cacheHits,
        long cacheMisses,
        long fuzzyMatches,
        int activeSessions,
        int maxSessions,
        long sessionTtlSeconds) {

    /** The seed's {@code get_metrics()} names, for the JSON view of {@code /metrics}. */
    public Map<String, Number> toMap() {
        Map<String, Number> map = new LinkedHashMap<>();
        map.put("sessions_created", sessionsCreated);
        map.put("sessions_expired", sessionsExpired);
        map.put("sessions_evicted", sessionsEvicted);
        map.put("sessions_fragmented", sessionsFragmented);
        map.put("cache_hits", cacheHits);
        map.put("cache_misses", cacheMisses);
        map.put("fuzzy_matches", fuzzyMatches);
        map.put("active_sessions", activeSessions);
        map.put("max_sessions", maxSessions);
        map.put("session_ttl_seconds", sessionTtlSeconds);
        return map;
    }
}
