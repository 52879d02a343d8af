package io.gatehouse.auth;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.gatehouse.store.KeyLookup;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Caches key lookups by key hash for a short time, so that authenticating a request costs no database round
 * trip. Revocation must still bite at once: {@link #invalidate} and {@link #invalidateProject} drop entries here
 * and, through the attached {@linkplain #publishTo publisher} (Redis pub/sub), on every other instance sharing
 * the store. The TTL bounds staleness only if a broadcast is lost.
 *
 * <p>Unknown hashes are cached as empty too, so a client retrying a wrong key does not reach the database each
 * time; a new key cannot have been looked up before it existed, so this never hides one.
 */
public final class KeyLookupCache {
    public static final Duration DEFAULT_TTL = Duration.ofSeconds(30);
    public static final long DEFAULT_MAX_ENTRIES = 100_000;

    private final AsyncCache<String, Optional<KeyLookup>> cache;
    private final Function<String, Future<Optional<KeyLookup>>> loader;
    private volatile Consumer<Invalidation> publisher = invalidation -> {
    };

    /** @param loader the database lookup by hash, such as {@code VirtualKeyRepository::findByHash} */
    public KeyLookupCache(Function<String, Future<Optional<KeyLookup>>> loader, Duration ttl, long maxEntries) {
        this.loader = loader;
        this.cache = Caffeine.newBuilder()
                .expireAfterWrite(ttl)
                .maximumSize(maxEntries)
                .buildAsync();
    }

    /** Completes on the caller's Vert.x context when there is one. A failed load is not cached. */
    public Future<Optional<KeyLookup>> lookup(String keyHash) {
        CompletableFuture<Optional<KeyLookup>> entry = cache.get(keyHash,
                (hash, executor) -> loader.apply(hash).toCompletionStage().toCompletableFuture());
        Context context = Vertx.currentContext();
        return context == null ? Future.fromCompletionStage(entry) : Future.fromCompletionStage(entry, context);
    }

    /** Sends every later invalidation to the other instances too. */
    public void publishTo(Consumer<Invalidation> publisher) {
        this.publisher = publisher;
    }

    /** Drops one key here and on every instance; call it after the revocation or change is committed. */
    public void invalidate(String keyHash) {
        apply(Invalidation.key(keyHash));
        publisher.accept(Invalidation.key(keyHash));
    }

    /** Drops every key of the project here and on every instance; call it after deactivation or any project change. */
    public void invalidateProject(String projectId) {
        apply(Invalidation.project(projectId));
        publisher.accept(Invalidation.project(projectId));
    }

    /** An invalidation from another instance: applied here only, never sent on. */
    void apply(Invalidation invalidation) {
        if (invalidation.scope() == Invalidation.Scope.KEY) {
            cache.synchronous().invalidate(invalidation.id());
            return;
        }
        // Lookups still in flight are dropped too: they may have read the project before the change.
        cache.asMap().entrySet().removeIf(entry -> !entry.getValue().isDone() || entry.getValue().isCompletedExceptionally()
                || entry.getValue().join().map(found -> found.key().projectId().equals(invalidation.id())).orElse(false));
    }
}
