package io.gatehouse.session;

import java.util.ArrayDeque;
import java.util.HashMap;

/**
 * Conversation state → the sessions that are at it or went through it. Not thread-safe: the tracker guards it.
 *
 * <p>Several sessions can share a state (identical conversations started at the same time). A lookup prefers,
 * as the seed does, the session that reached the state first and is still at it (FIFO), so each identical
 * conversation claims a different session as it moves on; failing that, the session that left it last. Every
 * operation is O(1) in the usual case: the FIFO choice is the head of its queue, and a session only appears
 * under the states it still remembers.
 */
final class SignatureIndex {
    private final HashMap<Signature, Bucket> buckets = new HashMap<>();

    private static final class Bucket {
        /** Sessions whose current state this is, oldest arrival first; null when none. */
        ArrayDeque<SessionRecord> waiting;
        /** The session that most recently moved on from this state. */
        SessionRecord lastPassed;

        boolean isEmpty() {
            return waiting == null && lastPassed == null;
        }
    }

    SessionRecord find(Signature state) {
        Bucket bucket = buckets.get(state);
        if (bucket == null) {
            return null;
        }
        return bucket.waiting != null ? bucket.waiting.peekFirst() : bucket.lastPassed;
    }

    /** The session's current state is now {@code state}. */
    void arrive(SessionRecord session, Signature state) {
        Bucket bucket = buckets.computeIfAbsent(state, unused -> new Bucket());
        if (bucket.waiting == null) {
            bucket.waiting = new ArrayDeque<>(1);
        }
        bucket.waiting.addLast(session);
    }

    /** The session moved on from {@code state}, which it still remembers. */
    void leave(SessionRecord session, Signature state) {
        Bucket bucket = buckets.get(state);
        removeWaiting(bucket, session);
        bucket.lastPassed = session;
    }

    /** The session counts as having gone through {@code state}, which it remembers, without having been at it. */
    void passThrough(SessionRecord session, Signature state) {
        buckets.computeIfAbsent(state, unused -> new Bucket()).lastPassed = session;
    }

    /** The session no longer remembers {@code state}; the bucket may already be gone with a later passer. */
    void forget(SessionRecord session, Signature state) {
        Bucket bucket = buckets.get(state);
        if (bucket == null) {
            return;
        }
        if (bucket.lastPassed == session) {
            bucket.lastPassed = null;
        }
        if (bucket.isEmpty()) {
            buckets.remove(state);
        }
    }

    /** The session ended: remove every trace of it. */
    void remove(SessionRecord session) {
        removeWaiting(buckets.get(session.current), session);
        for (Signature state : session.rememberedStates()) {
            forget(session, state);
        }
    }

    /** States indexed, for tests of the memory bound. */
    int size() {
        return buckets.size();
    }

    private static void removeWaiting(Bucket bucket, SessionRecord session) {
        if (bucket.waiting != null && bucket.waiting.remove(session) && bucket.waiting.isEmpty()) {
            bucket.waiting = null;
        }
    }
}
