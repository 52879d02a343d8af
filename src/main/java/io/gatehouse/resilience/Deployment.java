package io.gatehouse.resilience;

import io.gatehouse.pipeline.Upstream;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One key or base URL of a provider, with what balancing needs to know of it: its weight, how fast it has been
 * answering lately and how many calls it has in flight. Shared by all event loops; lock-free.
 *
 * @param label   how responses name it in {@code x-gatehouse-upstream}: provider name and index, never the key
 * @param breaker its circuit breaker, or null when the provider has none
 */
record Deployment(String label, Upstream upstream, int weight, UpstreamBreaker breaker,
                  AtomicLong latencyEwmaNanos, AtomicInteger inFlight) {

    /** How much the latest response time counts against the history: recent enough to follow a slowdown quickly. */
    private static final double EWMA_WEIGHT = 0.3;
    static final long UNMEASURED = -1;

    Deployment(String label, Upstream upstream, int weight, UpstreamBreaker breaker) {
        this(label, upstream, weight, breaker, new AtomicLong(UNMEASURED), new AtomicInteger());
    }

    /** Folds the time to response headers of a call into the moving average. */
    void recordLatency(long nanos) {
        latencyEwmaNanos.accumulateAndGet(nanos, (average, sample) ->
                average == UNMEASURED ? sample : Math.round(average + EWMA_WEIGHT * (sample - average)));
    }

    /**
     * Lower is better: the expected wait if every call in flight were ahead of this one. A deployment never measured
     * scores 0, so each gets tried before the averages decide.
     */
    double load() {
        long average = latencyEwmaNanos.get();
        return average == UNMEASURED ? 0 : (double) average * (inFlight.get() + 1);
    }

    boolean permits() {
        return breaker == null || breaker.tryAcquire();
    }
}
