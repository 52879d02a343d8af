package io.gatehouse.config;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * A provider's {@code retry} block: which failed calls are sent again, how often and how far apart.
 *
 * @param maxAttempts    calls in all, the first included: 3 means the first call and at most two retries; when not
 *                       set, {@code max_retries + 1}
 * @param baseDelayMs    the backoff before the first retry is drawn from 0 to this; it doubles with each retry
 * @param maxDelayMs     the cap of any one wait, a {@code Retry-After} included: a longer one is not waited for
 * @param onStatus       upstream statuses that are retried
 * @param onConnectError retry calls whose connection failed or was closed before any response
 */
public record RetryConfig(
        @JsonProperty("max_attempts") Integer maxAttempts,
        @JsonProperty("base_delay_ms") Long baseDelayMs,
        @JsonProperty("max_delay_ms") Long maxDelayMs,
        @JsonProperty("on_status") List<Integer> onStatus,
        @JsonProperty("on_connect_error") Boolean onConnectError) {

    public static final long DEFAULT_BASE_DELAY_MS = 250;
    public static final long DEFAULT_MAX_DELAY_MS = 20_000;
    public static final List<Integer> DEFAULT_ON_STATUS = List.of(429, 500, 502, 503, 504);

    public RetryConfig {
        baseDelayMs = baseDelayMs == null ? DEFAULT_BASE_DELAY_MS : baseDelayMs;
        maxDelayMs = maxDelayMs == null ? DEFAULT_MAX_DELAY_MS : maxDelayMs;
        onStatus = onStatus == null ? DEFAULT_ON_STATUS : List.copyOf(onStatus);
        onConnectError = onConnectError == null || onConnectError;
    }
}
