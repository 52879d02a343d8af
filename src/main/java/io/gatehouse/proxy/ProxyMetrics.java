package io.gatehouse.proxy;

import io.gatehouse.auth.AuditTrail;
import io.gatehouse.session.SessionMetrics;
import io.gatehouse.session.SessionTracker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToLongFunction;

/**
 * The gateway's Prometheus metrics. Meters are looked up once per label set and cached, so recording
 * on the hot path is a map read and an atomic update.
 */
public final class ProxyMetrics {
    private static final Duration[] LATENCY_BUCKETS = {
            Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10),
            Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(120), Duration.ofSeconds(300)};
    private static final Duration[] OVERHEAD_BUCKETS = {
            Duration.ofNanos(50_000), Duration.ofNanos(100_000), Duration.ofNanos(250_000),
            Duration.ofNanos(500_000), Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5),
            Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(100)};

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AtomicLong activeStreams = new AtomicLong();
    private final ConcurrentMap<String, Timer> requestTimers = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Timer> upstreamTimers = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Timer> overheadTimers = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Counter> bytesIn = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Counter> bytesOut = new ConcurrentHashMap<>();

    public ProxyMetrics() {
        Gauge.builder("gatehouse_active_streams", activeStreams, AtomicLong::get)
                .description("Event streams being relayed to clients right now")
                .register(registry);
    }

    /** One finished client request: its status as sent, and the time from arrival to the last byte. */
    void request(String provider, String route, int status, String outcome, long nanos) {
        String key = provider + '\0' + route + '\0' + status + '\0' + outcome;
        requestTimers.computeIfAbsent(key, k -> Timer.builder("gatehouse_requests")
                        .description("Client requests, by provider, API route, status and outcome; duration to the last byte")
                        .tags("provider", provider, "route", route, "status", Integer.toString(status), "outcome", outcome)
                        .serviceLevelObjectives(LATENCY_BUCKETS)
                        .register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Time from sending a request upstream to its response headers. */
    void upstreamLatency(String provider, long nanos) {
        upstreamTimers.computeIfAbsent(provider, p -> Timer.builder("gatehouse_upstream_latency")
                        .description("Time from sending a request upstream to its response headers")
                        .tags("provider", p)
                        .serviceLevelObjectives(LATENCY_BUCKETS)
                        .register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Time spent inside the gateway for one request, upstream wait excluded. */
    void overhead(String provider, long nanos) {
        overheadTimers.computeIfAbsent(provider, p -> Timer.builder("gatehouse_overhead")
                        .description("Time spent inside the gateway before the response headers went out, upstream wait excluded")
                        .tags("provider", p)
                        .serviceLevelObjectives(OVERHEAD_BUCKETS)
                        .register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    void bytesIn(String provider, long bytes) {
        bytesIn.computeIfAbsent(provider, p -> Counter.builder("gatehouse_request_bytes")
                .description("Request body bytes received from clients")
                .baseUnit("bytes").tags("provider", p).register(registry)).increment(bytes);
    }

    void bytesOut(String provider, long bytes) {
        bytesOut.computeIfAbsent(provider, p -> Counter.builder("gatehouse_response_bytes")
                .description("Response body bytes sent to clients")
                .baseUnit("bytes").tags("provider", p).register(registry)).increment(bytes);
    }

    /** The tracker's counters, read when scraped: recording them costs the request path nothing here. */
    void registerSessions(SessionTracker tracker) {
        // Not "gatehouse_sessions_created": the Prometheus client reserves the _created suffix (OpenMetrics
        // creation timestamps) and would strip it, leaving an ambiguous gatehouse_sessions_total.
        sessionCounter("gatehouse_sessions_started", "Sessions started (sessions_created in the JSON view)", tracker,
                SessionMetrics::sessionsCreated);
        sessionCounter("gatehouse_sessions_expired", "Sessions ended after session_ttl_seconds idle", tracker,
                SessionMetrics::sessionsExpired);
        sessionCounter("gatehouse_sessions_fragmented", "Sessions started by a request from the middle of an unknown conversation",
                tracker, SessionMetrics::sessionsFragmented);
        sessionCounter("gatehouse_sessions_evicted", "Sessions ended to stay within max_sessions", tracker,
                SessionMetrics::sessionsEvicted);
        sessionCounter("gatehouse_session_cache_hits", "Requests that continued a known session", tracker,
                SessionMetrics::cacheHits);
        sessionCounter("gatehouse_session_cache_misses", "Requests that started a session", tracker,
                SessionMetrics::cacheMisses);
        sessionCounter("gatehouse_session_fuzzy_matches", "Requests that continued a session by fuzzy matching", tracker,
                SessionMetrics::fuzzyMatches);
        Gauge.builder("gatehouse_active_sessions", tracker, t -> t.metrics().activeSessions())
                .description("Sessions live right now")
                .register(registry);
    }

    /** Audit entries dropped because the audit writer was swamped; read when scraped. */
    void registerAuditShed(AuditTrail audit) {
        FunctionCounter.builder("gatehouse_audit_shed", audit, AuditTrail::shed)
                .description("Audit entries of refused calls or failed management logins dropped because the audit writer was swamped")
                .register(registry);
    }

    private void sessionCounter(String name, String description, SessionTracker tracker, ToLongFunction<SessionMetrics> value) {
        FunctionCounter.builder(name, tracker, t -> value.applyAsLong(t.metrics()))
                .description(description)
                .register(registry);
    }

    void streamOpened() {
        activeStreams.incrementAndGet();
    }

    void streamClosed() {
        activeStreams.decrementAndGet();
    }

    /** The registry behind these metrics, for parts of the gateway that keep meters of their own (recorders). */
    MeterRegistry registry() {
        return registry;
    }

    public String scrape() {
        return registry.scrape();
    }
}
