package io.gatehouse.config;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code limits:} block: rate limits and budgets enforced on every call (see README, "Rate limits and budgets").
 *
 * @param backend                where counters live: {@code memory} (this instance) or {@code redis} (shared by every
 *                               instance using {@code redis.url})
 * @param shadowMode             count what would be refused, refuse nothing
 * @param keyPrefix              prefix of every counter key, so several gateways can share one Redis
 * @param onBackendError         {@code allow} or {@code deny} a call whose counters cannot be reached
 * @param timeoutMs              how long a call waits for the backend before {@code on_backend_error} applies
 * @param defaultMaxOutputTokens output tokens reserved for a call that sets no max-token field
 * @param prices                 USD per million tokens by model (exact name, or a prefix ending in {@code *}); prices
 *                               budgets until the cost package is wired in
 * @param constraints            the limits, each counted separately under its own name
 */
public record LimitsConfig(
        String backend,
        @JsonProperty("shadow_mode") Boolean shadowMode,
        @JsonProperty("key_prefix") String keyPrefix,
        @JsonProperty("on_backend_error") String onBackendError,
        @JsonProperty("timeout_ms") Integer timeoutMs,
        @JsonProperty("default_max_output_tokens") Integer defaultMaxOutputTokens,
        Map<String, Price> prices,
        List<Constraint> constraints) {

    public LimitsConfig {
        backend = backend == null ? "memory" : backend;
        shadowMode = shadowMode != null && shadowMode;
        keyPrefix = keyPrefix == null ? "gatehouse:limit:" : keyPrefix;
        onBackendError = onBackendError == null ? "allow" : onBackendError;
        timeoutMs = timeoutMs == null ? 500 : timeoutMs;
        defaultMaxOutputTokens = defaultMaxOutputTokens == null ? 4096 : defaultMaxOutputTokens;
        prices = prices == null ? Map.of() : new LinkedHashMap<>(prices);
        constraints = constraints == null ? List.of() : List.copyOf(constraints);
    }

    public static LimitsConfig none() {
        return new LimitsConfig(null, null, null, null, null, null, null, null);
    }

    /** USD per million tokens. */
    public record Price(Double input, Double output) {
    }

    /**
     * One limit, SLLMP's constraint shape: a name (part of every counter key), the dimensions that split its counters,
     * and a rate limit, a budget or both.
     */
    public record Constraint(
            String name,
            List<String> dimensions,
            @JsonProperty("rate_limit") RateLimit rateLimit,
            @JsonProperty("budget_limit") BudgetLimit budgetLimit,
            String description) {

        public Constraint {
            dimensions = dimensions == null ? List.of() : List.copyOf(dimensions);
        }
    }

    /**
     * Requests and tokens per window; {@code per_minute} is SLLMP's spelling of {@code requests} with a minute window.
     */
    public record RateLimit(
            Long requests,
            Long tokens,
            @JsonProperty("per_minute") Long perMinute,
            String window) {
    }

    /** USD per calendar window: hour, day, week, month (or SLLMP's 1h, 1d, 7d, 30d). */
    public record BudgetLimit(Double limit, String window) {
    }
}
