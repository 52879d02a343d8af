package io.gatehouse.resilience;

import io.gatehouse.config.RetryConfig;
import io.vertx.core.MultiMap;

import java.time.Instant;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * When a failed call to one provider is sent again, and after how long. Immutable and shared: a call's attempt count
 * lives in that call, never here.
 *
 * @param maxAttempts    calls in all, the first included
 * @param retryStatuses  upstream statuses that are retried
 * @param onConnectError whether failed connections are retried
 */
record RetryPolicy(int maxAttempts, long baseDelayMs, long maxDelayMs, Set<Integer> retryStatuses,
                   boolean onConnectError) {

    /** Waits for the seed's connect-only retries, when a provider has no {@code retry} block. */
    private static final long CONNECT_RETRY_BASE_MS = 50;
    private static final long CONNECT_RETRY_MAX_MS = 2_000;

    /** No backoff at all: the {@code Retry-After} asked for more than {@code max_delay_ms}. */
    static final long GIVE_UP = -1;

    /**
     * @param retry      the provider's {@code retry} block, or null
     * @param maxRetries the provider's {@code max_retries}, the seed's key: retries after the first call
     */
    static RetryPolicy of(RetryConfig retry, int maxRetries) {
        if (retry == null) {
            return new RetryPolicy(maxRetries + 1, CONNECT_RETRY_BASE_MS, CONNECT_RETRY_MAX_MS, Set.of(), true);
        }
        int attempts = retry.maxAttempts() != null ? retry.maxAttempts() : maxRetries + 1;
        return new RetryPolicy(attempts, retry.baseDelayMs(), retry.maxDelayMs(), Set.copyOf(retry.onStatus()),
                retry.onConnectError());
    }

    boolean retriesStatus(int status) {
        return retryStatuses.contains(status);
    }

    /**
     * Full jitter: a wait drawn evenly from 0 to {@code min(max_delay_ms, base_delay_ms × 2^(retry-1))}, so clients
     * that failed together do not come back together.
     *
     * @param retry 1 for the first retry (the second call)
     */
    long backoffMillis(int retry, RandomGenerator random) {
        int doublings = Math.min(retry - 1, 30);
        long ceiling = Math.min(maxDelayMs, baseDelayMs << doublings);
        return random.nextLong(ceiling + 1);
    }

    /**
     * The wait before retrying a response: the backoff, or the upstream's {@code Retry-After} /
     * {@code retry-after-ms} when that is longer; {@link #GIVE_UP} when the upstream asked for more than
     * {@code max_delay_ms}, since retrying sooner would only be refused again.
     */
    long delayBeforeRetry(int retry, MultiMap responseHeaders, Instant now, RandomGenerator random) {
        long backoff = backoffMillis(retry, random);
        long asked = RetryAfter.millis(responseHeaders, now);
        if (asked > maxDelayMs) {
            return GIVE_UP;
        }
        return Math.max(backoff, asked);
    }
}
