package io.gatehouse.resilience;

import java.util.concurrent.atomic.AtomicInteger;

/** A cap on a provider's calls in flight. Refuses at once when full rather than queueing: the event loop never waits. */
final class Bulkhead {
    private final int maxConcurrent;
    private final AtomicInteger inFlight = new AtomicInteger();

    Bulkhead(int maxConcurrent) {
        this.maxConcurrent = maxConcurrent;
    }

    /** Takes a place, or returns false when all are taken. */
    boolean tryEnter() {
        int current;
        do {
            current = inFlight.get();
            if (current >= maxConcurrent) {
                return false;
            }
        } while (!inFlight.compareAndSet(current, current + 1));
        return true;
    }

    void leave() {
        inFlight.decrementAndGet();
    }
}
