package io.gatehouse.resilience;

import io.gatehouse.config.ConfigException;
import io.gatehouse.config.ConfigView;
import io.gatehouse.config.ProviderConfig;
import io.vertx.core.MultiMap;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What is retried, how many times, and how long the waits are. */
class RetryPolicyTest {
    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

    private static ProviderConfig provider(String keys) {
        return ConfigView.providers(ResilienceTestSupport.load("llm:\n  type: openai\n" + keys.indent(2))).getFirst();
    }

    private static RetryPolicy policy(String keys) {
        ProviderConfig provider = provider(keys);
        return RetryPolicy.of(provider.retry(), provider.maxRetries());
    }

    @Test
    void maxAttemptsCountsEveryCallAndDefaultsToMaxRetriesPlusOne() {
        assertThat(policy("retry: {max_attempts: 3}").maxAttempts()).isEqualTo(3);
        assertThat(policy("max_retries: 2\nretry: {}").maxAttempts()).isEqualTo(3);
        RetryPolicy seed = policy("max_retries: 1");
        assertThat(seed.maxAttempts()).isEqualTo(2);
        assertThat(seed.retryStatuses()).isEmpty();
        assertThat(seed.onConnectError()).isTrue();
        assertThat(policy("retry: {}").retryStatuses()).isEqualTo(Set.of(429, 500, 502, 503, 504));
    }

    @Test
    void fullJitterDrawsFromZeroToTheDoublingCeilingCappedByMaxDelay() {
        RetryPolicy policy = new RetryPolicy(10, 100, 1_000, Set.of(503), true);
        Random random = new Random(7);
        long[] highest = new long[6];
        long lowest = Long.MAX_VALUE;
        for (int i = 0; i < 5_000; i++) {
            for (int retry = 1; retry <= 5; retry++) {
                long delay = policy.backoffMillis(retry, random);
                highest[retry] = Math.max(highest[retry], delay);
                lowest = Math.min(lowest, delay);
            }
        }
        assertThat(lowest).isZero();
        assertThat(highest[1]).isBetween(90L, 100L);
        assertThat(highest[2]).isBetween(180L, 200L);
        assertThat(highest[3]).isBetween(360L, 400L);
        assertThat(highest[4]).isBetween(720L, 800L);
        assertThat(highest[5]).isBetween(900L, 1_000L);
    }

    @Test
    void retryAfterInSecondsAsADateOrInMillisecondsWinsWhenLonger() {
        RetryPolicy policy = new RetryPolicy(3, 1, 10_000, Set.of(429), true);
        Random random = new Random(1);
        assertThat(policy.delayBeforeRetry(1, headers("retry-after", "2"), NOW, random)).isEqualTo(2_000);
        assertThat(policy.delayBeforeRetry(1, headers("retry-after-ms", "1500.4"), NOW, random)).isEqualTo(1_500);
        String inFiveSeconds = DateTimeFormatter.RFC_1123_DATE_TIME.format(NOW.plusSeconds(5).atOffset(ZoneOffset.UTC));
        assertThat(policy.delayBeforeRetry(1, headers("retry-after", inFiveSeconds), NOW, random)).isEqualTo(5_000);
        assertThat(policy.delayBeforeRetry(1, headers("retry-after", "soon"), NOW, random)).isBetween(0L, 1L);
        assertThat(policy.delayBeforeRetry(1, headers("retry-after", "11"), NOW, random)).isEqualTo(RetryPolicy.GIVE_UP);
    }

    @Test
    void retryKeysAreCheckedWithTheirPath() {
        assertThatThrownBy(() -> provider("retry: {max_attempt: 3}")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("llm.retry.max_attempt: unknown key (allowed: max_attempts, base_delay_ms, max_delay_ms, "
                        + "on_status, on_connect_error)");
        assertThatThrownBy(() -> provider("retry: {on_status: [200]}"))
                .hasMessageContaining("llm.retry.on_status[0]: must be between 400 and 599 (got 200)");
        assertThatThrownBy(() -> provider("balancing: random"))
                .hasMessageContaining("llm.balancing: must be one of weighted, least_latency (got \"random\")");
        assertThatThrownBy(() -> provider("bulkhead: {}"))
                .hasMessageContaining("llm.bulkhead.max_concurrent: required key missing");
    }

    private static MultiMap headers(String name, String value) {
        return MultiMap.caseInsensitiveMultiMap().add(name, value);
    }
}
