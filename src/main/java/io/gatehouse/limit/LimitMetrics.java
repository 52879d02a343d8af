package io.gatehouse.limit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** The limits' Prometheus counters; each label set's counter is looked up once and cached. */
final class LimitMetrics {
    private final MeterRegistry registry;
    private final ConcurrentMap<String, Counter> refusals = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Counter> shadowRefusals = new ConcurrentHashMap<>();
    private final Counter backendErrors;

    LimitMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.backendErrors = Counter.builder("gatehouse_limit_backend_errors")
                .description("Limit checks and settlements that failed or timed out at the limits backend")
                .register(registry);
    }

    /** A call refused by {@code constraint}'s limit of {@code meter}. */
    void refused(String constraint, Meter meter) {
        refusals.computeIfAbsent(constraint + '\0' + meter.label(), key -> Counter.builder("gatehouse_limit_refusals")
                        .description("Calls refused by a rate limit or budget, by constraint and kind (requests, tokens, budget)")
                        .tags("constraint", constraint, "kind", meter.label())
                        .register(registry))
                .increment();
    }

    /** A call shadow mode let through although {@code constraint} would have refused it. */
    void wouldRefuse(String constraint) {
        shadowRefusals.computeIfAbsent(constraint, key -> Counter.builder("gatehouse_limit_shadow_refusals")
                        .description("Calls shadow mode let through that a constraint would have refused")
                        .tags("constraint", constraint)
                        .register(registry))
                .increment();
    }

    void backendError() {
        backendErrors.increment();
    }
}
