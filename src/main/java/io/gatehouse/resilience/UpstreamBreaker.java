package io.gatehouse.resilience;

import io.gatehouse.config.BreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The circuit breaker of one deployment: resilience4j's state machine, driven from asynchronous results. A call asks
 * {@link #tryAcquire()} before it goes out and reports exactly one of {@link #onSuccess}, {@link #onFailure} or
 * {@link #release()}; the breaker never waits or blocks. Thread-safe: deployments are shared by all event loops.
 */
final class UpstreamBreaker {
    /** What the breaker records for a failed status: it needs a throwable, and this one is never thrown. */
    private static final Exception FAILED_STATUS = new Exception("upstream answered with a server error", null, false, false) {
    };

    private final CircuitBreaker breaker;
    private final long coolDownMillis;
    private volatile long openedAtMillis;

    UpstreamBreaker(String name, BreakerConfig config) {
        this.coolDownMillis = config.coolDownMs();
        this.breaker = CircuitBreaker.of(name, CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(config.failureThreshold())
                .minimumNumberOfCalls(config.failureThreshold())
                .failureRateThreshold(config.failureRatePercent())
                .waitDurationInOpenState(Duration.ofMillis(config.coolDownMs()))
                .permittedNumberOfCallsInHalfOpenState(config.halfOpenCalls())
                .writableStackTraceEnabled(false)
                .build());
        breaker.getEventPublisher().onStateTransition(event -> {
            if (event.getStateTransition().getToState() == CircuitBreaker.State.OPEN) {
                openedAtMillis = System.currentTimeMillis();
            }
        });
    }

    /** False while open (or while the half-open probes are taken); true takes a permission to report on. */
    boolean tryAcquire() {
        return breaker.tryAcquirePermission();
    }

    void onSuccess(long nanos) {
        breaker.onSuccess(nanos, TimeUnit.NANOSECONDS);
    }

    void onFailure(long nanos) {
        breaker.onError(nanos, TimeUnit.NANOSECONDS, FAILED_STATUS);
    }

    /** Gives back a permission whose call never got a result (the client left). */
    void release() {
        breaker.releasePermission();
    }

    CircuitBreaker.State state() {
        return breaker.getState();
    }

    /** Seconds until probes are let through again, at least 1. */
    long secondsUntilProbe() {
        long left = openedAtMillis + coolDownMillis - System.currentTimeMillis();
        return Math.max(1, (left + 999) / 1000);
    }
}
