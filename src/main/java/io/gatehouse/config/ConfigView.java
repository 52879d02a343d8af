package io.gatehouse.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.feature.FeatureSettings;
import io.gatehouse.feature.FeaturesConfig;
import io.gatehouse.pipeline.Secret;

import java.util.ArrayList;
import java.util.List;

/** Read-only views of a loaded configuration: the resolved providers, and the masked dump behind {@code GET /config}. */
public final class ConfigView {
    /** The provider name of the {@code llm} block when it has no {@code name}. */
    public static final String LLM_PROVIDER_NAME = "default";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ConfigView() {
    }

    /** The {@code llm} block (named {@code default} unless it has a name), then {@code providers} in order. */
    public static List<ProviderConfig> providers(GatehouseConfig config) {
        List<ProviderConfig> providers = new ArrayList<>();
        if (config.llm() != null) {
            providers.add(config.llm().name() == null ? config.llm().withName(LLM_PROVIDER_NAME) : config.llm());
        }
        providers.addAll(config.providers());
        return providers;
    }

    /** {@code default_provider}, else the {@code llm} provider, else the first provider; null when there is none. */
    public static String defaultProviderName(GatehouseConfig config) {
        if (config.defaultProvider() != null) {
            return config.defaultProvider();
        }
        List<ProviderConfig> providers = providers(config);
        return providers.isEmpty() ? null : providers.get(0).name();
    }

    /**
     * The effective configuration with every secret masked ({@code ****abcd}): api keys, and interceptor settings
     * whose name mentions a key, token, secret or password.
     */
    public static ObjectNode effective(GatehouseConfig config) {
        ObjectNode view = MAPPER.createObjectNode();
        view.set("server", MAPPER.valueToTree(config.server()));
        view.set("llm", config.llm() == null ? MAPPER.nullNode() : upstream(providers(config).get(0)));
        ArrayNode providers = view.putArray("providers");
        config.providers().forEach(provider -> providers.add(upstream(provider)));
        view.put("default_provider", defaultProviderName(config));
        ArrayNode interceptors = view.putArray("interceptors");
        config.interceptors().forEach(interceptor -> interceptors.addObject()
                .put("type", interceptor.type())
                .put("enabled", interceptor.enabled())
                .set("config", masked(interceptor.config())));
        view.set("cost", MAPPER.valueToTree(config.cost()));
        view.set("logging", MAPPER.valueToTree(config.logging()));
        view.set("session", MAPPER.valueToTree(config.session()));
        view.putObject("auth").put("mode", config.auth().mode());
        // Limits hold names, dimensions, amounts and prices: nothing secret (the Redis URL is not part of them).
        view.set("limits", MAPPER.valueToTree(config.limits()));
        view.set("features", features(config.features()));
        return view;
    }

    /** The features as written, every {@code provider_api_keys} value masked. */
    private static ObjectNode features(FeaturesConfig features) {
        ObjectNode view = MAPPER.createObjectNode();
        view.set("defaults", features.defaults() == null ? MAPPER.nullNode() : featureSettings(features.defaults()));
        ObjectNode named = view.putObject("features");
        features.features().forEach((name, settings) ->
                named.set(name, settings == null ? MAPPER.nullNode() : featureSettings(settings)));
        return view;
    }

    private static ObjectNode featureSettings(FeatureSettings settings) {
        ObjectNode view = MAPPER.valueToTree(settings);
        if (settings.providerApiKeys() != null) {
            ObjectNode keys = view.putObject("provider_api_keys");
            settings.providerApiKeys().forEach((provider, key) -> keys.put(provider, Secret.mask(key)));
        }
        return view;
    }

    /** Field by field, so a key added to {@link ProviderConfig} later cannot leak into the view by default. */
    private static ObjectNode upstream(ProviderConfig provider) {
        ObjectNode node = MAPPER.createObjectNode()
                .put("name", provider.name())
                .put("type", provider.type())
                .put("base_url", provider.baseUrl())
                .put("api_key", Secret.mask(blankToNull(provider.apiKey())))
                .put("api_key_configured", blankToNull(provider.apiKey()) != null);
        node.put("timeout", provider.timeout())
                .put("connect_timeout", provider.connectTimeout())
                .put("idle_timeout", provider.idleTimeout())
                .put("max_retries", provider.maxRetries())
                .put("http2", provider.http2())
                .put("ca_file", provider.caFile());
        // Request controls hold patterns and header names, never header values, so they are shown as configured.
        node.set("allowed_methods", MAPPER.valueToTree(provider.allowedMethods()));
        node.set("allowed_paths", MAPPER.valueToTree(provider.allowedPaths()));
        node.set("required_headers", MAPPER.valueToTree(provider.requiredHeaders()));
        node.set("allowed_origins", MAPPER.valueToTree(provider.allowedOrigins()));
        node.set("param_whitelist", MAPPER.valueToTree(provider.paramWhitelist()));
        node.set("retry", MAPPER.valueToTree(provider.retry()));
        node.set("fallbacks", MAPPER.valueToTree(provider.fallbacks()));
        node.set("fallback_on", MAPPER.valueToTree(provider.fallbackOn()));
        ArrayNode deployments = node.putArray("deployments");
        provider.deployments().forEach(deployment -> deployments.addObject()
                .put("base_url", deployment.baseUrl())
                .put("api_key", Secret.mask(blankToNull(deployment.apiKey())))
                .put("api_key_configured", blankToNull(deployment.apiKey()) != null)
                .put("weight", deployment.weight()));
        node.put("balancing", provider.balancing());
        node.set("circuit_breaker", MAPPER.valueToTree(provider.circuitBreaker()));
        node.set("bulkhead", MAPPER.valueToTree(provider.bulkhead()));
        return node;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static JsonNode masked(JsonNode settings) {
        JsonNode copy = settings.deepCopy();
        maskInPlace(copy, false);
        return copy;
    }

    /** Masks every text or number under a secret-sounding name, however deeply nested; flags stay readable. */
    private static void maskInPlace(JsonNode node, boolean secret) {
        if (node instanceof ObjectNode object) {
            object.properties().forEach(field -> {
                JsonNode value = field.getValue();
                boolean secretField = secret || ConfigPath.isSecretName(field.getKey());
                if (secretField && (value.isTextual() || value.isNumber())) {
                    field.setValue(MAPPER.getNodeFactory().textNode(Secret.mask(value.asText())));
                } else {
                    maskInPlace(value, secretField);
                }
            });
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                JsonNode value = array.get(i);
                if (secret && (value.isTextual() || value.isNumber())) {
                    array.set(i, MAPPER.getNodeFactory().textNode(Secret.mask(value.asText())));
                } else {
                    maskInPlace(value, secret);
                }
            }
        }
    }
}
