package io.gatehouse.limit;

import io.gatehouse.config.LimitsConfig;
import io.gatehouse.pipeline.Call;
import io.gatehouse.pipeline.CallEnd;
import io.gatehouse.pipeline.CallPrincipal;
import io.gatehouse.pipeline.Chain;
import io.gatehouse.pipeline.ErrorKind;
import io.gatehouse.pipeline.GatewayError;
import io.gatehouse.pipeline.Interceptor;
import io.gatehouse.pipeline.ProxyRequest;
import io.gatehouse.pipeline.ProxyResponse;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Enforces rate limits and budgets on every call, whatever its route. Before the call goes upstream, one atomic
 * backend step checks every counter of every constraint for the call's dimension values and charges them all: one
 * request, the call's maximum tokens and maximum cost ({@link SpendMeter#maximum}). A call that would take any counter
 * past its limit is refused with 429 and charges nothing. Once the call has ended (completed, failed or abandoned,
 * streams included), its token and spend reservations are settled against what it really used, so concurrent calls
 * can only overshoot a limit by what a reservation underestimated.
 *
 * <p>In shadow mode every call is counted and goes through; those that would have been refused are counted in
 * {@code gatehouse_limit_shadow_refusals_total}.
 */
public final class LimitsInterceptor implements Interceptor, AutoCloseable {
    public static final String TYPE = "limits";
    private static final Logger LOG = LoggerFactory.getLogger(LimitsInterceptor.class);
    private static final String RESERVATION = "gatehouse.limit.reservation";
    private static final long BACKEND_ERROR_LOG_INTERVAL_MILLIS = 10_000;
    /** Dimension values longer than this are hashed in counter keys and cut in messages. */
    private static final int MAX_VALUE_LENGTH = 100;

    private final List<Constraint> constraints;
    private final String keyPrefix;
    private final boolean shadowMode;
    private final boolean denyOnBackendError;
    private final LimitBackend backend;
    private final SpendMeter meter;
    private final Clock clock;
    private final LimitMetrics metrics;
    private final boolean metersSpend;
    private final AtomicLong lastBackendErrorLog = new AtomicLong(Long.MIN_VALUE / 2);

    LimitsInterceptor(List<Constraint> constraints, String keyPrefix, boolean shadowMode, boolean denyOnBackendError,
                      LimitBackend backend, SpendMeter meter, Clock clock, LimitMetrics metrics) {
        this.constraints = List.copyOf(constraints);
        this.keyPrefix = keyPrefix;
        this.shadowMode = shadowMode;
        this.denyOnBackendError = denyOnBackendError;
        this.backend = backend;
        this.meter = meter;
        this.clock = clock;
        this.metrics = metrics;
        this.metersSpend = constraints.stream().anyMatch(Constraint::metersSpend);
    }

    /**
     * The interceptor for {@code config}'s constraints (there must be some), with its backend connected: Redis at
     * {@code redisUrl} for {@code backend: redis} (blocking until connected: call it at startup, off the event loops),
     * else memory.
     *
     * @param featureBudgets each feature's {@code budget_constraints}, by feature name; they count only its calls
     * @param meter          prices calls for token limits and budgets
     * @param clock the wall clock calendar windows follow
     * @param vertx the Vert.x the gateway runs on, whose event loops talk to Redis
     */
    public static LimitsInterceptor create(LimitsConfig config, Map<String, List<LimitsConfig.Constraint>> featureBudgets,
                                           String redisUrl, SpendMeter meter, Clock clock, MeterRegistry registry,
                                           Vertx vertx) {
        List<Constraint> constraints = new ArrayList<>(config.constraints().stream().map(Constraint::from).toList());
        featureBudgets.forEach((feature, budgets) ->
                budgets.forEach(budget -> constraints.add(Constraint.forFeature(feature, budget))));
        LimitBackend backend = "redis".equals(config.backend())
                ? RedisLimitBackend.connect(vertx, redisUrl, Duration.ofMillis(config.timeoutMs()))
                : new MemoryLimitBackend(clock);
        return new LimitsInterceptor(constraints, config.keyPrefix(), config.shadowMode(),
                "deny".equals(config.onBackendError()), backend, meter, clock, new LimitMetrics(registry));
    }

    /** Settles what is pending and disconnects the backend (call it while Vert.x runs); in-memory counters are dropped. */
    @Override
    public void close() {
        backend.close();
    }

    /** A call's reservation, settled when it ends. */
    private record Reservation(List<Counter> counters, Spend maximum) {
    }

    @Override
    public String name() {
        return TYPE;
    }

    @Override
    public Future<ProxyResponse> intercept(Chain chain) {
        ProxyRequest request = chain.request();
        Instant now = clock.instant();
        Spend maximum = metersSpend ? meter.maximum(request) : Spend.ZERO;
        List<Counter> counters = countersOf(chain.call().attribute(CallPrincipal.ATTRIBUTE), request, maximum, now);
        Future<long[]> reserved;
        try {
            reserved = backend.reserve(counters, !shadowMode);
        } catch (RuntimeException e) {
            reserved = Future.failedFuture(e);
        }
        return reserved.transform(result -> result.succeeded()
                ? admit(chain, counters, result.result(), maximum, now)
                : backendFailed(chain, result.cause()));
    }

    private Future<ProxyResponse> admit(Chain chain, List<Counter> counters, long[] before, Spend maximum, Instant now) {
        Call call = chain.call();
        ProxyRequest request = chain.request();
        int refusedBy = firstExceeded(counters, before);
        if (refusedBy >= 0) {
            Counter counter = counters.get(refusedBy);
            if (!shadowMode) {
                metrics.refused(counter.constraint().name(), counter.meter());
                RateLimitHeaders.refusal(call.responseHeaders(), request.clientFormat().type(), counters, before,
                        refusedBy, now);
                return Future.succeededFuture(ProxyResponse.error(request.clientFormat(),
                        refusal(counter, before[refusedBy], now)));
            }
            metrics.wouldRefuse(counter.constraint().name());
        }
        RateLimitHeaders.admitted(call.responseHeaders(), counters, before, now);
        boolean settles = counters.stream().anyMatch(c -> c.meter() != Meter.REQUESTS && c.amount() > 0);
        if (!settles) {
            return chain.proceed(request);
        }
        call.attribute(RESERVATION, new Reservation(counters, maximum));
        return chain.proceed(request).map(response -> {
            meter.observe(call, request, response);
            return response;
        });
    }

    private static int firstExceeded(List<Counter> counters, long[] before) {
        for (int i = 0; i < counters.size(); i++) {
            if (counters.get(i).exceededBy(before[i])) {
                return i;
            }
        }
        return -1;
    }

    private Future<ProxyResponse> backendFailed(Chain chain, Throwable failure) {
        metrics.backendError();
        logBackendError("check", failure);
        if (!denyOnBackendError) {
            return chain.proceed(chain.request());
        }
        return Future.succeededFuture(ProxyResponse.error(chain.request().clientFormat(),
                new GatewayError(ErrorKind.INTERNAL, 503, "The rate limit and budget backend is unavailable, so the call "
                        + "was refused (limits.on_backend_error: deny). Try again shortly.", "limit_backend_unavailable")));
    }

    @Override
    public void onCallEnd(CallEnd end) {
        Reservation reservation = end.call().attribute(RESERVATION);
        if (reservation == null) {
            return;
        }
        Spend actual = meter.actual(end, reservation.maximum());
        List<Counter> settled = new ArrayList<>(reservation.counters().size());
        List<Long> deltas = new ArrayList<>(reservation.counters().size());
        for (Counter counter : reservation.counters()) {
            long used = switch (counter.meter()) {
                case REQUESTS -> counter.amount();
                case TOKENS -> actual.tokens();
                case SPEND -> actual.nanoUsd();
            };
            if (used != counter.amount()) {
                settled.add(counter);
                deltas.add(used - counter.amount());
            }
        }
        if (settled.isEmpty()) {
            return;
        }
        try {
            backend.adjust(settled, deltas.stream().mapToLong(Long::longValue).toArray()).onFailure(failure -> {
                metrics.backendError();
                logBackendError("settlement", failure);
            });
        } catch (RuntimeException e) {
            metrics.backendError();
            logBackendError("settlement", e);
        }
    }

    /** At most one warning per interval: a Redis outage under load must not flood the log. */
    private void logBackendError(String what, Throwable failure) {
        long now = System.currentTimeMillis();
        long last = lastBackendErrorLog.get();
        if (now - last >= BACKEND_ERROR_LOG_INTERVAL_MILLIS && lastBackendErrorLog.compareAndSet(last, now)) {
            LOG.warn("Limits backend {} failed ({}); calls are {} meanwhile (limits.on_backend_error), see "
                            + "gatehouse_limit_backend_errors_total", what, describe(failure),
                    denyOnBackendError ? "refused" : "let through uncounted");
        }
    }

    private static String describe(Throwable failure) {
        return failure.getClass().getSimpleName();
    }

    /** Every counter of the call, in constraint order. */
    private List<Counter> countersOf(CallPrincipal principal, ProxyRequest request, Spend maximum, Instant now) {
        List<Counter> counters = new ArrayList<>(constraints.size() * 2);
        for (Constraint constraint : constraints) {
            if (!constraint.applies(principal, request)) {
                continue;
            }
            StringBuilder keyPart = new StringBuilder();
            StringBuilder scope = new StringBuilder();
            for (Dimension dimension : constraint.dimensions()) {
                String value = dimension.valueOf(principal, request);
                keyPart.append(':').append(dimension.label()).append('=').append(keyValue(value));
                scope.append(scope.isEmpty() ? "" : ", ").append(dimension.label()).append('=').append(shorten(value));
            }
            for (Constraint.Limit limit : constraint.limits()) {
                Meter meter = limit.meter();
                Window window = limit.window();
                Instant start = window.start(now);
                long amount = switch (meter) {
                    case REQUESTS -> 1;
                    case TOKENS -> maximum.tokens();
                    case SPEND -> maximum.nanoUsd();
                };
                String key = keyPrefix + constraint.name() + ':' + meter.label() + ':' + window.label() + keyPart
                        + ':' + start.getEpochSecond();
                counters.add(new Counter(constraint, meter, key, scope.toString(), limit.amount(), amount, window,
                        window.end(start)));
            }
        }
        return counters;
    }

    /** A dimension value made safe for a key: escaped, and hashed when long, so no two values share a counter. */
    private static String keyValue(String value) {
        String escaped = URLEncoder.encode(value, StandardCharsets.UTF_8);
        if (escaped.length() <= MAX_VALUE_LENGTH) {
            return escaped;
        }
        return "sha256-" + sha256Hex(value).substring(0, 32);
    }

    private static String sha256Hex(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static String shorten(String value) {
        return value.length() <= MAX_VALUE_LENGTH ? value : value.substring(0, MAX_VALUE_LENGTH) + "…";
    }

    private static GatewayError refusal(Counter counter, long before, Instant now) {
        Constraint constraint = counter.constraint();
        String scope = counter.scope().isEmpty() ? "" : " for " + counter.scope();
        String resets = "; the " + counter.window().label() + " resets at " + counter.windowEnd() + " (in "
                + RateLimitHeaders.secondsUntil(counter.windowEnd(), now) + " s)";
        return switch (counter.meter()) {
            case REQUESTS -> new GatewayError(ErrorKind.RATE_LIMIT_EXCEEDED, "Rate limit exceeded: constraint '"
                    + constraint.name() + "' allows " + counter.limit() + " requests per " + counter.window().label()
                    + scope + resets, "rate_limit_exceeded");
            case TOKENS -> new GatewayError(ErrorKind.RATE_LIMIT_EXCEEDED, "Rate limit exceeded: constraint '"
                    + constraint.name() + "' allows " + counter.limit() + " tokens per " + counter.window().label()
                    + scope + "; " + before + " are used or reserved and this call may use up to " + counter.amount()
                    + resets, "rate_limit_exceeded");
            case SPEND -> new GatewayError(ErrorKind.BUDGET_EXCEEDED, "Budget exceeded: constraint '" + constraint.name()
                    + "' allows $" + RateLimitHeaders.usd(counter.limit()) + " per " + counter.window().label() + scope
                    + "; $" + RateLimitHeaders.usd(before) + " is spent or reserved and this call may cost up to $"
                    + RateLimitHeaders.usd(counter.amount()) + resets, "budget_exceeded");
        };
    }
}
