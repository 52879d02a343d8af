package io.gatehouse.resilience;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** Retries, fallbacks, breaker states and bulkhead refusals, in the gateway's Prometheus registry. */
final class ResilienceMetrics {
    private final MeterRegistry registry;
    private final ConcurrentMap<String, Counter> retries = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Counter> fallbacks = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Counter> bulkheadRejections = new ConcurrentHashMap<>();

    ResilienceMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** @param reason {@code connect_error}, or the status retried such as {@code status_503} */
    void retry(String provider, String reason) {
        retries.computeIfAbsent(provider + '\0' + reason, k -> Counter.builder("gatehouse_upstream_retries")
                .description("Calls sent to an upstream again, by provider and what failed")
                .tags("provider", provider, "reason", reason)
                .register(registry)).increment();
    }

    void fallback(String from, String to) {
        fallbacks.computeIfAbsent(from + '\0' + to, k -> Counter.builder("gatehouse_upstream_fallbacks")
                .description("Calls passed on from a failing provider to its fallback")
                .tags("from", from, "to", to)
                .register(registry)).increment();
    }

    void bulkheadRejection(String provider) {
        bulkheadRejections.computeIfAbsent(provider, p -> Counter.builder("gatehouse_bulkhead_rejections")
                .description("Calls refused because the provider had max_concurrent calls in flight")
                .tags("provider", p)
                .register(registry)).increment();
    }

    /** 0 closed, 1 open, 2 half-open (and 3 for resilience4j's forced or disabled states, which are not used). */
    void circuitState(Deployment deployment) {
        Gauge.builder("gatehouse_circuit_state", deployment.breaker(), breaker -> switch (breaker.state()) {
                    case CLOSED -> 0;
                    case OPEN -> 1;
                    case HALF_OPEN -> 2;
                    default -> 3;
                })
                .description("State of each deployment's circuit breaker: 0 closed, 1 open, 2 half-open")
                .tags("upstream", deployment.label())
                .register(registry);
    }
}
