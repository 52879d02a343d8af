package io.gatehouse.config;

import com.fasterxml.jackson.annotation.JsonFormat;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.gatehouse.cost.CostConfig;
import io.gatehouse.feature.FeaturesConfig;
import io.gatehouse.session.SessionConfig;

import java.util.List;

/**
 * The whole effective configuration, after the file, the environment and the command line were merged
 * (flags over env over file over defaults) and validated.
 *
 * @param llm             the seed's single upstream; when set it is the provider named {@code default}
 * @param providers       further upstreams, each reachable under {@code /{name}/…}
 * @param defaultProvider the provider that serves paths without a provider prefix
 * @param session         session detection; when enabled the {@code session} interceptor runs first on every call
 * @param storage         the tenancy database and the master key
 * @param redis           the Redis that carries cache invalidations between instances; its url is null without one
 * @param auth            how clients authenticate to the proxy
 * @param cost            token counting and pricing of every call
 * @param limits          rate limits and budgets; without constraints no limits interceptor runs
 * @param features        SLLMP's feature-based config; without features no feature interceptor runs
 * @param models          model aliases of the unified API: each name to its {@code provider:model} targets, the first
 *                        served and the others its fallbacks in order
 */
public record GatehouseConfig(
        ServerConfig server,
        ProviderConfig llm,
        List<ProviderConfig> providers,
        @JsonProperty("default_provider") String defaultProvider,
        List<InterceptorConfig> interceptors,
        LoggingConfig logging,
        SessionConfig session,
        StorageConfig storage,
        RedisConfig redis,
        AuthConfig auth,
        CostConfig cost,
        LimitsConfig limits,
        FeaturesConfig features,
        @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) Map<String, List<String>> models) {

    public GatehouseConfig {
        server = server == null ? new ServerConfig(null, null, null, null) : server;
        providers = providers == null ? List.of() : List.copyOf(providers);
        interceptors = interceptors == null ? List.of() : List.copyOf(interceptors);
        logging = logging == null ? new LoggingConfig(null, null, null, null, null) : logging;
        session = session == null ? SessionConfig.defaults() : session;
        storage = storage == null ? new StorageConfig(null, null, null) : storage;
        redis = redis == null ? new RedisConfig(null) : redis;
        auth = auth == null ? new AuthConfig(null) : auth;
        cost = cost == null ? CostConfig.defaults() : cost;
        limits = limits == null ? LimitsConfig.none() : limits;
        features = features == null ? FeaturesConfig.none() : features;
        // Kept in the file's order, so /v1/models lists the aliases as they were written.
        models = models == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(models));
    }

    /** Every setting at its default: no upstream yet (add one with {@link #withRouting}). */
    public static GatehouseConfig defaults() {
        return new GatehouseConfig(null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /**
     * This config serving other providers through other interceptors on another server; every other setting is
     * kept, so callers that re-target a config (replay) carry settings added later without knowing them.
     */
    public GatehouseConfig withRouting(ServerConfig newServer, List<ProviderConfig> newProviders, String newDefaultProvider,
                                       List<InterceptorConfig> newInterceptors) {
        return new GatehouseConfig(newServer, null, newProviders, newDefaultProvider, newInterceptors, logging, session,
                storage, redis, auth, cost, limits, features, models);
    }

    /** This config with another model alias table. */
    public GatehouseConfig withModels(Map<String, List<String>> newModels) {
        return new GatehouseConfig(server, llm, providers, defaultProvider, interceptors, logging, session, storage, redis,
                auth, cost, limits, features, newModels);
    }
}
