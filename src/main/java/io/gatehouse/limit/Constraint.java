package io.gatehouse.limit;

import io.gatehouse.pipeline.CallPrincipal;
import io.gatehouse.pipeline.ProxyRequest;

import io.gatehouse.config.LimitsConfig;

import java.util.ArrayList;
import java.util.List;

/**
 * A configured constraint, ready to count: its name (part of every counter key, so two constraints over the same
 * dimensions never share a counter), the dimensions that split it, and its limits.
 *
 * @param feature the only feature whose calls it counts (a feature's {@code budget_constraints}), or null for all calls
 */
record Constraint(String name, List<Dimension> dimensions, List<Limit> limits, String feature) {
    private static final Dimension FEATURE = Dimension.parse("feature");

    Constraint(String name, List<Dimension> dimensions, List<Limit> limits) {
        this(name, dimensions, limits, null);
    }

    static final long NANOS_PER_USD = 1_000_000_000L;

    /**
     * One limit of a constraint: at most {@code amount} of {@code meter} per {@code window}.
     *
     * @param amount requests, tokens or nano-USD
     */
    record Limit(Meter meter, long amount, Window window) {
    }

    /**
     * {@code rate_limit.requests} and {@code tokens} per {@code window} (minute by default); SLLMP's
     * {@code per_minute} is a requests-per-minute limit of its own, so {@code requests: 1000, window: hour,
     * per_minute: 50} limits both the hour and each minute; {@code budget_limit} per window (day by default).
     */
    static Constraint from(LimitsConfig.Constraint config) {
        List<Limit> limits = new ArrayList<>(3);
        LimitsConfig.RateLimit rate = config.rateLimit();
        if (rate != null) {
            Window window = rate.window() == null ? Window.MINUTE : Window.parse(rate.window());
            if (rate.requests() != null) {
                limits.add(new Limit(Meter.REQUESTS, rate.requests(), window));
            }
            if (rate.perMinute() != null) {
                limits.add(new Limit(Meter.REQUESTS, rate.perMinute(), Window.MINUTE));
            }
            if (rate.tokens() != null) {
                limits.add(new Limit(Meter.TOKENS, rate.tokens(), window));
            }
        }
        LimitsConfig.BudgetLimit budget = config.budgetLimit();
        if (budget != null) {
            limits.add(new Limit(Meter.SPEND, Math.round(budget.limit() * NANOS_PER_USD),
                    budget.window() == null ? Window.DAY : Window.parse(budget.window())));
        }
        return new Constraint(config.name(), config.dimensions().stream().map(Dimension::parse).toList(), List.copyOf(limits));
    }

    /**
     * A feature's budget constraint: named {@code <feature>/<name>} so it never shares counters with a top-level
     * constraint, and counting only that feature's calls.
     */
    static Constraint forFeature(String feature, LimitsConfig.Constraint config) {
        Constraint plain = from(config);
        return new Constraint(feature + "/" + config.name(), plain.dimensions(), plain.limits(), feature);
    }

    /** Whether this call counts against the constraint: always, unless the constraint is one feature's. */
    boolean applies(CallPrincipal principal, ProxyRequest request) {
        return feature == null || feature.equals(FEATURE.valueOf(principal, request));
    }

    /** True when some limit counts tokens or money, which calls reserve and settle. */
    boolean metersSpend() {
        return limits.stream().anyMatch(limit -> limit.meter() != Meter.REQUESTS);
    }
}
