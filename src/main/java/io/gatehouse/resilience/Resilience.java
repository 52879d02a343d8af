package io.gatehouse.resilience;

import io.gatehouse.config.DeploymentConfig;
import io.gatehouse.config.ProviderConfig;
import io.gatehouse.logging.SecretRedactor;
import io.gatehouse.pipeline.Secret;
import io.gatehouse.pipeline.Upstream;
import io.gatehouse.pipeline.UpstreamSender;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The retry, fallback, balancing, breaker and bulkhead state of every provider of one gateway, shared by all its
 * event loops so that a breaker opened on one loop keeps the others away too.
 */
public final class Resilience {
    /**
     * Call attribute: a {@code List<FallbackConfig>} that replaces the provider's own fallbacks for this call, set by
     * routing when the client named a model alias with several targets.
     */
    public static final String CALL_FALLBACKS = "gatehouse.resilience.fallbacks";
    private final Map<String, ProviderPolicy> policies;
    private final ResilienceMetrics metrics;

    private Resilience(Map<String, ProviderPolicy> policies, ResilienceMetrics metrics) {
        this.policies = policies;
        this.metrics = metrics;
    }

    /**
     * @param providers the configured providers
     * @param routed    the upstream each provider name routes to, whose timeouts and wire format deployments share
     */
    public static Resilience of(List<ProviderConfig> providers, Map<String, Upstream> routed, MeterRegistry registry) {
        ResilienceMetrics metrics = new ResilienceMetrics(registry);
        Map<String, ProviderPolicy> policies = providers.stream()
                .map(provider -> policy(provider, routed.get(provider.name()), metrics))
                .collect(Collectors.toUnmodifiableMap(ProviderPolicy::name, Function.identity()));
        return new Resilience(policies, metrics);
    }

    /** A sender that applies these policies around {@code delegate}; one per event loop. */
    public UpstreamSender around(Vertx vertx, UpstreamSender delegate) {
        return new ResilientSender(vertx, delegate, this);
    }

    ProviderPolicy policy(String provider) {
        return policies.get(provider);
    }

    ResilienceMetrics metrics() {
        return metrics;
    }

    private static ProviderPolicy policy(ProviderConfig provider, Upstream routed, ResilienceMetrics metrics) {
        List<DeploymentConfig> configured = provider.deployments().isEmpty()
                ? List.of(new DeploymentConfig(null, null, 1)) : provider.deployments();
        List<Deployment> deployments = new ArrayList<>();
        for (int i = 0; i < configured.size(); i++) {
            DeploymentConfig config = configured.get(i);
            String label = provider.name() + "/" + i;
            Upstream upstream = config.baseUrl() == null && config.apiKey() == null ? routed : deploymentUpstream(routed,
                    config.baseUrl() != null ? config.baseUrl() : provider.baseUrl(),
                    config.apiKey() != null ? config.apiKey() : provider.apiKey());
            UpstreamBreaker breaker = provider.circuitBreaker() == null ? null
                    : new UpstreamBreaker(label, provider.circuitBreaker());
            Deployment deployment = new Deployment(label, upstream, config.weight(), breaker);
            if (breaker != null) {
                metrics.circuitState(deployment);
            }
            deployments.add(deployment);
        }
        return new ProviderPolicy(provider.name(), routed, RetryPolicy.of(provider.retry(), routed.maxRetries()),
                List.copyOf(deployments),
                Balancer.named(provider.balancing()),
                provider.bulkhead() == null ? null : new Bulkhead(provider.bulkhead().maxConcurrent()),
                provider.fallbacks(), Set.copyOf(provider.fallbackOn()));
    }

    private static Upstream deploymentUpstream(Upstream routed, String baseUrl, String apiKey) {
        // Also for configs built in code, which never pass through the loader that registers keys.
        SecretRedactor.register(apiKey);
        return Upstream.of(routed.name(), routed.format(), URI.create(baseUrl), Secret.ofNullable(apiKey),
                routed.connectTimeout(), routed.firstByteTimeout(), routed.idleTimeout(), routed.maxRetries(), routed.http2(),
                routed.tls());
    }
}
