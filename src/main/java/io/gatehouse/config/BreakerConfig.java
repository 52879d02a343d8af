package io.gatehouse.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A provider's {@code circuit_breaker} block; each deployment gets a breaker of its own.
 *
 * @param failureThreshold   the number of recent calls judged: the breaker opens when
 *                           {@code failure_rate_percent} of the last this-many calls failed (with 100, that many
 *                           failures in a row)
 * @param failureRatePercent the share of failed calls among the last {@code failure_threshold} that opens it
 * @param coolDownMs         how long it stays open before letting probe calls through
 * @param halfOpenCalls      probe calls let through after the cool-down; it closes when they succeed
 */
public record BreakerConfig(
        @JsonProperty("failure_threshold") Integer failureThreshold,
        @JsonProperty("failure_rate_percent") Integer failureRatePercent,
        @JsonProperty("cool_down_ms") Long coolDownMs,
        @JsonProperty("half_open_calls") Integer halfOpenCalls) {

    public BreakerConfig {
        failureThreshold = failureThreshold == null ? 5 : failureThreshold;
        failureRatePercent = failureRatePercent == null ? 100 : failureRatePercent;
        coolDownMs = coolDownMs == null ? 30_000L : coolDownMs;
        halfOpenCalls = halfOpenCalls == null ? 1 : halfOpenCalls;
    }
}
