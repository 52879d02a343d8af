package io.gatehouse.limit;

import io.gatehouse.config.LimitsConfig;

import java.util.List;
import java.util.Map;

/** Short ways to write the limits a test runs with. */
final class LimitConfigs {
    private LimitConfigs() {
    }

    static LimitsConfig limits(String backend, String keyPrefix, boolean shadowMode, Map<String, LimitsConfig.Price> prices,
                               LimitsConfig.Constraint... constraints) {
        return new LimitsConfig(backend, shadowMode, keyPrefix, null, null, null, prices, List.of(constraints));
    }

    static LimitsConfig.Constraint requests(String name, long requests, String window, String... dimensions) {
        return new LimitsConfig.Constraint(name, List.of(dimensions),
                new LimitsConfig.RateLimit(requests, null, null, window), null, null);
    }

    static LimitsConfig.Constraint tokens(String name, long tokens, String window, String... dimensions) {
        return new LimitsConfig.Constraint(name, List.of(dimensions),
                new LimitsConfig.RateLimit(null, tokens, null, window), null, null);
    }

    static LimitsConfig.Constraint budget(String name, double usd, String window, String... dimensions) {
        return new LimitsConfig.Constraint(name, List.of(dimensions), null, new LimitsConfig.BudgetLimit(usd, window), null);
    }
}
