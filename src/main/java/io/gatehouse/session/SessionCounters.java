package io.gatehouse.session;

import java.util.concurrent.atomic.LongAdder;

/** Counters bumped by many event loops at once, hence adders rather than fields under the tracker's lock. */
final class SessionCounters {
    final LongAdder created = new LongAdder();
    final LongAdder expired = new LongAdder();
    final LongAdder evicted = new LongAdder();
    final LongAdder fragmented = new LongAdder();
    final LongAdder cacheHits = new LongAdder();
    final LongAdder cacheMisses = new LongAdder();
    final LongAdder fuzzyMatches = new LongAdder();

    void count(SessionMatch match) {
        if (match.isNew()) {
            created.increment();
            cacheMisses.increment();
            if (match.isFragmented()) {
                fragmented.increment();
            }
        } else {
            cacheHits.increment();
            if (match.kind() == SessionMatch.Kind.FUZZY) {
                fuzzyMatches.increment();
            }
        }
    }

    void countEnd(SessionListener.EndReason reason) {
        (reason == SessionListener.EndReason.EXPIRED ? expired : evicted).increment();
    }

    SessionMetrics snapshot(int activeSessions, int maxSessions, long sessionTtlSeconds) {
        return new SessionMetrics(created.sum(), expired.sum(), evicted.sum(), fragmented.sum(), cacheHits.sum(),
                cacheMisses.sum(), fuzzyMatches.sum(), activeSessions, maxSessions, sessionTtlSeconds);
    }
}
