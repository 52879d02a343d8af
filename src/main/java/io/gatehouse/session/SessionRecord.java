package io.gatehouse.session;

import java.util.Arrays;
import java.util.List;

/** One live session. Mutable, and only touched under the tracker's lock. */
final class SessionRecord {
    /**
     * States a session can still be found by besides its current one. Enough for the replays of intermediate
     * states and for forks a few turns back; older states are forgotten so the index stays bounded.
     */
    static final int REMEMBERED_STATES = 8;

    final String id;
    final ApiFormat format;
    Signature current;
    int messageCount;
    int processedCount;
    long lastAccessNanos;
    PrefixSketch sketch;

    /** A ring of the most recent distinct states, current included. */
    private final Signature[] remembered = new Signature[REMEMBERED_STATES];
    private int rememberedCount;
    private int oldestSlot;

    /** The caller remembers the initial states, {@code current} among them, in the order they were reached. */
    SessionRecord(String id, ApiFormat format, Signature current, int messageCount, long now, PrefixSketch sketch) {
        this.id = id;
        this.format = format;
        this.current = current;
        this.messageCount = messageCount;
        this.lastAccessNanos = now;
        this.sketch = sketch;
    }

    /** Adds a state unless already remembered; returns the state pushed out to make room, or null. */
    Signature remember(Signature state) {
        if (rememberedStates().contains(state)) {
            return null;
        }
        if (rememberedCount < REMEMBERED_STATES) {
            remembered[rememberedCount++] = state;
            return null;
        }
        Signature forgotten = remembered[oldestSlot];
        remembered[oldestSlot] = state;
        oldestSlot = (oldestSlot + 1) % REMEMBERED_STATES;
        return forgotten;
    }

    List<Signature> rememberedStates() {
        return Arrays.asList(remembered).subList(0, rememberedCount);
    }
}
