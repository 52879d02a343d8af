package io.gatehouse.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.gatehouse.pipeline.Secret;
import io.gatehouse.pipeline.Upstream;
import io.gatehouse.store.KeyLookup;
import io.gatehouse.store.ProjectRepository;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The decrypted provider keys of the projects that authenticated calls belong to, cached so that a call costs no
 * database round trip or decryption.
 *
 * <p>Entries hang off the {@link KeyLookup} instance that {@link KeyLookupCache} handed out (weak keys compare by
 * identity): when that cache drops a lookup — a revocation, a project change here or, over Redis, on another
 * instance — the next lookup is a new instance and its provider keys are read afresh. So a rotated provider key
 * is picked up exactly when the key cache learns of the change, with no second invalidation channel.
 */
final class ProviderKeys {
    private final ProjectRepository projects;
    private final Cache<KeyLookup, ConcurrentMap<String, CompletableFuture<Optional<Secret>>>> byLookup;

    ProviderKeys(ProjectRepository projects, Duration ttl) {
        this.projects = projects;
        this.byLookup = Caffeine.newBuilder().weakKeys().expireAfterWrite(ttl).build();
    }

    /**
     * The project's key for {@code upstream}: stored under the provider's name ({@code anthropic}), else under its
     * type ({@code openai}, which is where llm-proxy's single {@code api_key} goes). Empty when it has neither.
     * Completes on the caller's context.
     */
    Future<Optional<Secret>> forUpstream(KeyLookup lookup, Upstream upstream) {
        ConcurrentMap<String, CompletableFuture<Optional<Secret>>> keys = byLookup.get(lookup, l -> new ConcurrentHashMap<>());
        CompletableFuture<Optional<Secret>> key = keys.computeIfAbsent(upstream.name(), name -> load(lookup.key().projectId(), upstream));
        // A failed read is not kept: the next call tries again.
        key.whenComplete((found, failure) -> {
            if (failure != null) {
                keys.remove(upstream.name(), key);
            }
        });
        Context context = Vertx.currentContext();
        return context == null ? Future.fromCompletionStage(key) : Future.fromCompletionStage(key, context);
    }

    private CompletableFuture<Optional<Secret>> load(String projectId, Upstream upstream) {
        String type = upstream.format().type();
        return projects.providerKey(projectId, upstream.name())
                .compose(byName -> byName.isPresent() || type.equals(upstream.name())
                        ? Future.succeededFuture(byName)
                        : projects.providerKey(projectId, type))
                .toCompletionStage().toCompletableFuture();
    }
}
