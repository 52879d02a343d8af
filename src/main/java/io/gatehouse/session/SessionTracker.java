package io.gatehouse.session;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Ties stateless LLM calls into sessions by their message history; one per gateway, shared by every event loop.
 *
 * <p>A request continues the session whose state equals the request's history up to the model output it now
 * returns (see {@link Conversation#previousStateLength()}), found through a signature index. Otherwise it starts a
 * new session, flagged fragmented when it does not look like the start of a conversation. Client-given session
 * ids and Responses API {@code previous_response_id} take precedence over history.
 *
 * <p>Locking: one lock guards all state; everything costly (parsing, hashing, sketches, random ids) happens
 * before it is taken, and listeners are called after it is released, so a call holds it for a few map
 * operations. Expiry needs no scan: the session map is kept in order of last access, and since every session
 * has the same time to live, the expired ones are exactly a run at its head.
 */
public final class SessionTracker {
    private static final Logger LOG = LoggerFactory.getLogger(SessionTracker.class);

    /** Seed 000 compared only with sessions active in the last 30 minutes. */
    private static final long FUZZY_WINDOW_NANOS = TimeUnit.MINUTES.toNanos(30);
    /** Most recent sessions a fuzzy lookup compares with, bounding its time under the lock. */
    private static final int FUZZY_SCAN_LIMIT = 1000;

    private final SessionConfig config;
    private final ResetPhrases resetPhrases;
    private final long ttlNanos;
    private final SessionListener listener;
    private final LongSupplier nanoTicker;
    private final SessionCounters counters = new SessionCounters();

    private final ReentrantLock lock = new ReentrantLock();
    /** Guarded by lock. In order of last access, least recent first. */
    private final LinkedHashMap<String, SessionRecord> sessions = new LinkedHashMap<>(16, 0.75f, true);
    /** Guarded by lock. */
    private final SignatureIndex index = new SignatureIndex();
    /** Guarded by lock. Responses API response id → session id, oldest first, at most max_sessions entries. */
    private final LinkedHashMap<String, String> sessionsByResponseId = new LinkedHashMap<>();

    public SessionTracker(SessionConfig config) {
        this(config, SessionListener.NONE, System::nanoTime);
    }

    /** @param nanoTicker a monotonic clock in nanoseconds, {@code System::nanoTime} outside tests */
    public SessionTracker(SessionConfig config, SessionListener listener, LongSupplier nanoTicker) {
        if (config.maxSessions() < 1 || config.sessionTtlSeconds() < 1) {
            throw new IllegalArgumentException("max_sessions and session_ttl_seconds must be at least 1");
        }
        if (config.similarityThreshold() < 0 || config.similarityThreshold() > 1) {
            throw new IllegalArgumentException("similarity_threshold must be between 0 and 1");
        }
        this.config = config;
        this.resetPhrases = new ResetPhrases(config.resetPhrases());
        this.ttlNanos = TimeUnit.SECONDS.toNanos(config.sessionTtlSeconds());
        this.listener = listener;
        this.nanoTicker = nanoTicker;
    }

    /**
     * Finds or starts the session of one request.
     *
     * @param externalSessionId a client-given session id ({@code x-gatehouse-session-id},
     *                          {@code x-cylestio-conversation-id}), or null (blank counts as null): the first
     *                          request with an id creates the session under that id, later ones continue it
     *                          whatever their history
     */
    public SessionMatch detect(Conversation conversation, String externalSessionId) {
        Probe probe = Probe.of(conversation, config, resetPhrases);
        String externalId = externalSessionId == null || externalSessionId.isBlank() ? null : externalSessionId;
        List<Ended> ended = new ArrayList<>(0);
        String newSessionId = null;
        SessionMatch match;
        // Most requests continue a session, so a random id is drawn only once a first pass finds it must create
        // one; drawing it (SecureRandom) under the lock would make every event loop wait on it.
        while (true) {
            lock.lock();
            try {
                match = resolve(probe, externalId, newSessionId, ended);
            } finally {
                lock.unlock();
            }
            if (match != null) {
                break;
            }
            newSessionId = UUID.randomUUID().toString();
        }
        counters.count(match);
        announce(ended);
        return match;
    }

    /** Messages below {@code processedCount} have produced their events; the next match reports them as seen. */
    public void markProcessed(String sessionId, int processedCount) {
        lock.lock();
        try {
            SessionRecord session = sessions.get(sessionId);
            if (session != null) {
                session.processedCount = processedCount;
                session.lastAccessNanos = nanoTicker.getAsLong();
            }
        } finally {
            lock.unlock();
        }
    }

    /** A Responses API response belongs to this session, so a request naming it as previous continues it. */
    public void recordResponseId(String responseId, String sessionId) {
        lock.lock();
        try {
            sessionsByResponseId.put(responseId, sessionId);
            if (sessionsByResponseId.size() > config.maxSessions()) {
                sessionsByResponseId.pollFirstEntry();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Ends the sessions idle for longer than the TTL. Requests do this on the way, but a periodic call lets
     * {@code session.end} go out while no traffic comes in.
     *
     * @return how many sessions ended
     */
    public int expireIdleSessions() {
        List<Ended> ended = new ArrayList<>(0);
        locked(() -> {
            expireIdle(nanoTicker.getAsLong(), ended);
            return null;
        });
        announce(ended);
        return ended.size();
    }

    public SessionMetrics metrics() {
        int active = locked(sessions::size);
        return counters.snapshot(active, config.maxSessions(), config.sessionTtlSeconds());
    }

    /** Conversation states indexed, for tests of the memory bound. */
    int indexedStates() {
        return locked(index::size);
    }

    /** Response ids remembered, for tests of the memory bound. */
    int rememberedResponseIds() {
        return locked(sessionsByResponseId::size);
    }

    private SessionMatch resolve(Probe probe, String externalSessionId, String newSessionId, List<Ended> ended) {
        long now = nanoTicker.getAsLong();
        expireIdle(now, ended);
        if (externalSessionId != null) {
            SessionRecord session = sessions.get(externalSessionId);
            if (session != null) {
                return continueSession(session, probe, SessionMatch.Kind.EXTERNAL, now);
            }
            create(externalSessionId, probe, null, now, ended);
            return SessionMatch.created(externalSessionId, SessionMatch.Kind.EXTERNAL_NEW, false);
        }
        SessionRecord chained = sessionOfResponse(probe.conversation().previousResponseId());
        if (chained != null) {
            touch(chained, now);
            return SessionMatch.continued(chained.id, SessionMatch.Kind.PREVIOUS_RESPONSE, 0);
        }
        if (!probe.reset()) {
            SessionRecord previous = probe.previousStateLength() == 0
                    ? null : index.find(probe.chain().at(probe.previousStateLength()));
            if (previous != null) {
                return continueSession(previous, probe, SessionMatch.Kind.SIGNATURE, now);
            }
            SessionRecord similar = probe.searchFuzzy() ? mostSimilarRecentSession(probe, now) : null;
            if (similar != null) {
                return continueSession(similar, probe, SessionMatch.Kind.FUZZY, now);
            }
        }
        if (newSessionId == null) {
            return null;
        }
        if (probe.reset()) {
            create(newSessionId, probe, null, now, ended);
            return SessionMatch.created(newSessionId, SessionMatch.Kind.RESET, false);
        }
        create(newSessionId, probe, missedState(probe), now, ended);
        return SessionMatch.created(newSessionId, SessionMatch.Kind.NEW, !probe.opening());
    }

    /**
     * The state a request continues when no session knew it (evicted, expired, from before a restart). The new
     * session takes it over, as if it had gone through it: otherwise the next request, which often continues the
     * same earlier state (after {@code [user, assistant]} comes {@code [user, assistant, user]}, both continuing
     * {@code [user]}), would miss again and fragment the conversation a second time.
     */
    private static Signature missedState(Probe probe) {
        return probe.previousStateLength() == 0 ? null : probe.chain().at(probe.previousStateLength());
    }

    private SessionRecord sessionOfResponse(String responseId) {
        String sessionId = responseId == null ? null : sessionsByResponseId.get(responseId);
        return sessionId == null ? null : sessions.get(sessionId);
    }

    private SessionMatch continueSession(SessionRecord session, Probe probe, SessionMatch.Kind kind, long now) {
        int processed = alreadyProcessed(session, probe);
        moveTo(session, probe.chain().full());
        session.messageCount = probe.size();
        if (probe.sketch() != null) {
            session.sketch = probe.sketch();
        }
        touch(session, now);
        return SessionMatch.continued(session.id, kind, processed);
    }

    /**
     * When the request extends the session's latest state, everything processed so far is still history. When it
     * branches off an earlier state (an edited or regenerated turn), only the shared part is: the rest is new.
     */
    private static int alreadyProcessed(SessionRecord session, Probe probe) {
        int processed = Math.min(session.processedCount, probe.size());
        boolean extendsLatest = session.messageCount <= probe.size()
                && probe.chain().at(session.messageCount).equals(session.current);
        return extendsLatest ? processed : Math.min(processed, probe.previousStateLength());
    }

    private void moveTo(SessionRecord session, Signature state) {
        if (state.equals(session.current)) {
            return;
        }
        index.leave(session, session.current);
        session.current = state;
        index.arrive(session, state);
        Signature forgotten = session.remember(state);
        if (forgotten != null) {
            index.forget(session, forgotten);
        }
    }

    /** @param adoptedState an earlier state the session counts as having gone through, or null */
    private void create(String sessionId, Probe probe, Signature adoptedState, long now, List<Ended> ended) {
        if (sessions.size() >= config.maxSessions()) {
            Iterator<SessionRecord> leastRecentFirst = sessions.values().iterator();
            SessionRecord leastRecent = leastRecentFirst.next();
            leastRecentFirst.remove();
            retire(leastRecent, SessionListener.EndReason.EVICTED, ended);
        }
        SessionRecord session = new SessionRecord(sessionId, probe.format(), probe.chain().full(), probe.size(), now,
                probe.sketch());
        sessions.put(sessionId, session);
        if (adoptedState != null) {
            index.passThrough(session, adoptedState);
            session.remember(adoptedState);
        }
        index.arrive(session, session.current);
        session.remember(session.current);
    }

    /** Walks from the least recently used session and stops at the first one still alive. */
    private void expireIdle(long now, List<Ended> ended) {
        Iterator<SessionRecord> leastRecentFirst = sessions.values().iterator();
        while (leastRecentFirst.hasNext()) {
            SessionRecord session = leastRecentFirst.next();
            if (now - session.lastAccessNanos <= ttlNanos) {
                return;
            }
            leastRecentFirst.remove();
            retire(session, SessionListener.EndReason.EXPIRED, ended);
        }
    }

    private void retire(SessionRecord session, SessionListener.EndReason reason, List<Ended> ended) {
        index.remove(session);
        ended.add(new Ended(session.id, reason));
    }

    /**
     * Seed 000's fuzzy match: among sessions of the same API active in the last 30 minutes that this request
     * extends (it has more messages), the one whose opening is most similar, if similar enough. Walks back from
     * the most recently used session.
     */
    private SessionRecord mostSimilarRecentSession(Probe probe, long now) {
        SessionRecord best = null;
        double bestSimilarity = -1;
        int compared = 0;
        for (SessionRecord session : sessions.sequencedValues().reversed()) {
            if (now - session.lastAccessNanos > FUZZY_WINDOW_NANOS || compared++ == FUZZY_SCAN_LIMIT) {
                break;
            }
            if (session.format != probe.format() || session.messageCount >= probe.size() || session.sketch == null) {
                continue;
            }
            double similarity = probe.sketch().similarity(session.sketch);
            if (similarity >= config.similarityThreshold() && similarity > bestSimilarity) {
                best = session;
                bestSimilarity = similarity;
            }
        }
        return best;
    }

    /** Marks a use: the access-ordered map moves the session to its tail on {@code get}. */
    private void touch(SessionRecord session, long now) {
        session.lastAccessNanos = now;
        sessions.get(session.id);
    }

    private void announce(List<Ended> ended) {
        for (Ended end : ended) {
            counters.countEnd(end.reason());
            try {
                listener.onSessionEnd(end.sessionId(), end.reason());
            } catch (RuntimeException e) {
                LOG.warn("Session listener failed on the end of session {}", end.sessionId(), e);
            }
        }
    }

    private <T> T locked(Supplier<T> action) {
        lock.lock();
        try {
            return action.get();
        } finally {
            lock.unlock();
        }
    }

    private record Ended(String sessionId, SessionListener.EndReason reason) {
    }
}
