package io.gatehouse.limit;

import io.gatehouse.config.LimitsConfig;

import java.util.ArrayList;
import java.util.List;

/**
 * A configured constraint, ready to count: its name (part of every counter key, so two constraints over the same
 * dimensions never share a counter), the dimensions that split it, and its limits.
 */
record Constraint(String name, List<Dimension> dimensions, List<Limit> limits) {

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

    /** True when some limit counts tokens or money, which calls reserve and settle. */
    boolean metersSpend() {
        return limits.stream().anyMatch(limit -> limit.meter() != Meter.REQUESTS);
    }
}
