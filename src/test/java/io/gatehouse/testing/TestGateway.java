package io.gatehouse.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.config.AuthConfig;
import io.gatehouse.config.GatehouseConfig;
import io.gatehouse.cost.CostConfig;
import io.gatehouse.config.InterceptorConfig;
import io.gatehouse.config.LimitsConfig;
import io.gatehouse.config.LoggingConfig;
import io.gatehouse.config.ProviderConfig;
import io.gatehouse.config.RedisConfig;
import io.gatehouse.config.ServerConfig;
import io.gatehouse.config.StorageConfig;
import io.gatehouse.feature.FeaturesConfig;
import io.gatehouse.pipeline.Interceptor;
import io.gatehouse.pipeline.Secret;
import io.gatehouse.proxy.Gateway;
import io.gatehouse.session.SessionConfig;
import io.vertx.core.Vertx;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Builds a gateway for a test: ephemeral port, one event loop, providers pointing at fakes. */
public final class TestGateway {
    private final List<ProviderConfig> providers = new ArrayList<>();
    private final List<InterceptorConfig> interceptorConfigs = new ArrayList<>();
    private final List<Interceptor> interceptors = new ArrayList<>();
    private String defaultProvider;
    private Long maxBodyBytes;
    private SessionConfig session;
    private CostConfig cost;
    private Vertx vertx;
    private StorageConfig storage;
    private RedisConfig redis;
    private AuthConfig auth;
    private String managementToken;
    private LimitsConfig limits;
    private FeaturesConfig features;
    private String redisUrl;
    private Clock clock;
    private Map<String, List<String>> models;

    public static TestGateway builder() {
        return new TestGateway();
    }

    public TestGateway provider(String name, String type, String baseUrl, String apiKey) {
        return provider(new ProviderConfig(name, type, baseUrl, apiKey, null, null, null, null));
    }

    public TestGateway provider(ProviderConfig provider) {
        providers.add(provider);
        if (defaultProvider == null) {
            defaultProvider = provider.name();
        }
        return this;
    }

    public TestGateway defaultProvider(String name) {
        defaultProvider = name;
        return this;
    }

    public TestGateway interceptorConfig(String type, ObjectNode config) {
        interceptorConfigs.add(new InterceptorConfig(type, true, config));
        return this;
    }

    public TestGateway interceptor(Interceptor interceptor) {
        interceptors.add(interceptor);
        return this;
    }

    public TestGateway maxBodyBytes(long bytes) {
        maxBodyBytes = bytes;
        return this;
    }

    public TestGateway session(SessionConfig session) {
        this.session = session;
        return this;
    }

    /** Projects, keys and the audit log in this store (its master key file beside it). */
    public TestGateway storage(String url, java.nio.file.Path masterKeyFile) {
        storage = new StorageConfig(url, 4, masterKeyFile.toString());
        return this;
    }

    public TestGateway redis(String url) {
        redis = new RedisConfig(url);
        return this;
    }

    /** {@code auth.mode: virtual_keys}: clients need a gateway key. */
    public TestGateway virtualKeys() {
        auth = new AuthConfig("virtual_keys");
        return this;
    }

    /** Enables the management API with this token (what {@code MANAGEMENT_TOKEN} does for {@code gatehouse run}). */
    public TestGateway managementToken(String token) {
        managementToken = token;
        return this;
    }

    public TestGateway cost(CostConfig cost) {
        this.cost = cost;
        return this;
    }

    public TestGateway limits(LimitsConfig limits) {
        this.limits = limits;
        return this;
    }

    /** The {@code redis.url} the gateway shares with others. */
    public TestGateway features(FeaturesConfig features) {
        this.features = features;
        return this;
    }

    /** Model aliases of the unified API: name to its {@code provider:model} targets. */
    public TestGateway models(Map<String, List<String>> models) {
        this.models = models;
        return this;
    }

    public TestGateway redisUrl(String url) {
        this.redisUrl = url;
        return this;
    }

    /** The wall clock the limits' calendar windows follow. */
    public TestGateway clock(Clock clock) {
        this.clock = clock;
        return this;
    }

    public TestGateway vertx(Vertx vertx) {
        this.vertx = vertx;
        return this;
    }

    public GatehouseConfig config() {
        return new GatehouseConfig(new ServerConfig(0, "127.0.0.1", 1, maxBodyBytes), null, providers,
                defaultProvider, interceptorConfigs, new LoggingConfig(null, null, null, null, null), session, storage,
                redisUrl != null ? new RedisConfig(redisUrl) : redis, auth, cost, limits, features, models);
    }

    public Running start() {
        Gateway.Builder builder = Gateway.builder(config());
        if (vertx != null) {
            builder.vertx(vertx);
        }
        if (clock != null) {
            builder.clock(clock);
        }
        interceptors.forEach(builder::addInterceptor);
        builder.managementToken(Secret.ofNullable(managementToken));
        return new Running(builder.start());
    }

    /** A started gateway and the URLs to reach it. */
    public record Running(Gateway gateway) implements AutoCloseable {
        public String baseUrl() {
            return "http://127.0.0.1:" + gateway.port();
        }

        public int port() {
            return gateway.port();
        }

        @Override
        public void close() {
            gateway.close();
        }
    }
}
