package io.gatehouse.auth;

import io.gatehouse.store.KeyLookup;
import io.gatehouse.store.VirtualKey;
import io.vertx.core.Future;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KeyLookupCacheTest {
    /** The "database": what a hash resolves to now, and how often it was asked. */
    private final Map<String, KeyLookup> rows = new ConcurrentHashMap<>();
    private final AtomicInteger loads = new AtomicInteger();
    private final KeyLookupCache cache = new KeyLookupCache(hash -> {
        loads.incrementAndGet();
        return Future.succeededFuture(Optional.ofNullable(rows.get(hash)));
    }, Duration.ofMinutes(5), 1000);

    private static KeyLookup key(String hash, String projectId, boolean revoked) {
        return new KeyLookup(new VirtualKey("id-" + hash, projectId, null, hash, "gh-x", null, revoked ? Instant.EPOCH : null,
                null, 0, List.of(), Map.of(), Instant.EPOCH, null), true);
    }

    private Optional<KeyLookup> lookup(String hash) {
        return cache.lookup(hash).await();
    }

    @Test
    void repeatedLookupsAreServedFromMemoryUnknownHashesToo() {
        rows.put("h1", key("h1", "p1", false));

        lookup("h1");
        lookup("h1");
        lookup("unknown");
        lookup("unknown");

        assertThat(loads).hasValue(2);
        assertThat(lookup("h1")).map(found -> found.key().id()).contains("id-h1");
        assertThat(lookup("unknown")).isEmpty();
    }

    @Test
    void invalidatingAKeyMakesTheNextLookupReadTheStore() {
        rows.put("h1", key("h1", "p1", false));
        lookup("h1");
        rows.put("h1", key("h1", "p1", true));

        assertThat(lookup("h1").orElseThrow().key().active()).as("cached").isTrue();
        cache.invalidate("h1");
        assertThat(lookup("h1").orElseThrow().key().active()).isFalse();
    }

    @Test
    void invalidatingAProjectDropsAllItsKeysAndOnlyThem() {
        rows.put("a1", key("a1", "project-a", false));
        rows.put("a2", key("a2", "project-a", false));
        rows.put("b1", key("b1", "project-b", false));
        List.of("a1", "a2", "b1").forEach(this::lookup);
        int before = loads.get();

        cache.invalidateProject("project-a");
        List.of("a1", "a2", "b1").forEach(this::lookup);

        assertThat(loads.get() - before).isEqualTo(2);
    }

    @Test
    void aFailedLoadIsNotCached() {
        AtomicInteger attempts = new AtomicInteger();
        KeyLookupCache flaky = new KeyLookupCache(hash -> attempts.incrementAndGet() == 1
                ? Future.failedFuture(new IllegalStateException("database down"))
                : Future.succeededFuture(Optional.empty()), Duration.ofMinutes(5), 10);

        assertThat(awaitFailed(flaky.lookup("h"))).isTrue();
        assertThat(flaky.lookup("h").await()).isEmpty();
        assertThat(attempts).hasValue(2);
    }

    @Test
    void invalidationsAreAlsoHandedToThePublisher() {
        List<Invalidation> published = new java.util.concurrent.CopyOnWriteArrayList<>();
        cache.publishTo(published::add);

        cache.invalidate("h1");
        cache.invalidateProject("p1");

        assertThat(published).containsExactly(Invalidation.key("h1"), Invalidation.project("p1"));
        assertThat(Invalidation.decode(Invalidation.project("p1").encode())).isEqualTo(Invalidation.project("p1"));
    }

    @Test
    void aMalformedRedisUrlIsRefusedWithoutEchoingIt() {
        assertThatThrownBy(() -> RedisInvalidationChannel.connect("redis://:pass@word@", cache))
                .hasMessageContaining("redis.url").hasMessageNotContaining("pass@word");
    }

    private static boolean awaitFailed(Future<?> future) {
        try {
            future.await();
            return false;
        } catch (RuntimeException e) {
            return true;
        }
    }
}
