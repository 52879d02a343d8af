package io.gatehouse.replay;

import io.gatehouse.config.ConfigView;
import io.gatehouse.config.GatehouseConfig;
import io.gatehouse.config.InterceptorConfig;
import io.gatehouse.config.ProviderConfig;
import io.gatehouse.config.ServerConfig;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The configuration of the gateway a local replay pushes calls through: the user's interceptors and providers (or
 * the seed's printer alone, with providers named after the recorded ones), every provider pointed at the replay
 * upstream, on an ephemeral loopback port.
 */
final class ReplayGatewayConfig {
    /** Replaying must not record itself. */
    static final String RECORDER_TYPE = "http_recorder";

    private ReplayGatewayConfig() {
    }

    /**
     * @param configured the user's configuration, or null for printer-only with providers inferred from the recording
     */
    static GatehouseConfig of(GatehouseConfig configured, List<RecordedCall> calls, String upstreamUrl) {
        if (configured == null) {
            return inferred(calls, upstreamUrl);
        }
        List<ProviderConfig> providers = ConfigView.providers(configured).stream()
                .map(provider -> pointedAt(provider.name(), provider.type(), upstreamUrl))
                .toList();
        List<InterceptorConfig> interceptors = configured.interceptors().stream()
                .filter(interceptor -> !interceptor.type().equals(RECORDER_TYPE))
                .toList();
        ServerConfig server = new ServerConfig(0, "127.0.0.1", 1, configured.server().maxBodyBytes());
        return configured.withRouting(server, providers, ConfigView.defaultProviderName(configured), interceptors);
    }

    /**
     * One provider per recorded provider name, typed from its calls; the default is the provider most of the calls
     * without a provider prefix went to, so those route as they did.
     */
    private static GatehouseConfig inferred(List<RecordedCall> calls, String upstreamUrl) {
        Map<String, String> types = new LinkedHashMap<>();
        for (RecordedCall call : calls) {
            RecordedRequest request = call.request();
            types.putIfAbsent(providerName(request), ReplayRoutes.inferType(request.provider(), request.path(), request.headers()));
        }
        Set<String> names = types.keySet();
        Map<String, Integer> unprefixed = new HashMap<>();
        for (RecordedCall call : calls) {
            RecordedRequest request = call.request();
            if (!ReplayRoutes.hasProviderPrefix(request.path(), names)) {
                unprefixed.merge(providerName(request), 1, Integer::sum);
            }
        }
        String defaultProvider = unprefixed.entrySet().stream()
                .max(Map.Entry.comparingByValue())
                .map(Map.Entry::getKey)
                .orElse(names.isEmpty() ? ConfigView.LLM_PROVIDER_NAME : names.iterator().next());
        List<ProviderConfig> providers = new ArrayList<>();
        types.forEach((name, type) -> providers.add(pointedAt(name, type, upstreamUrl)));
        if (providers.isEmpty()) {
            providers.add(pointedAt(defaultProvider, "openai", upstreamUrl));
        }
        return new GatehouseConfig(null, null, List.of(), null, List.of(), null, null, null, null, null).withRouting(
                new ServerConfig(0, "127.0.0.1", 1, null), providers, defaultProvider,
                List.of(new InterceptorConfig("printer", true, null)));
    }

    /** The recorded provider, or the name the gateway gives its {@code llm:} provider when none was recorded. */
    private static String providerName(RecordedRequest request) {
        return request.provider() == null || request.provider().isBlank() ? ConfigView.LLM_PROVIDER_NAME : request.provider();
    }

    /**
     * No key: nothing leaves the machine, and a key would only travel to the replay upstream. No retries: a call
     * recorded as failed fails again at once.
     */
    private static ProviderConfig pointedAt(String name, String type, String upstreamUrl) {
        return new ProviderConfig(name, type, upstreamUrl, null, null, null, null, 0);
    }

    static Set<String> providerNames(GatehouseConfig config) {
        return ConfigView.providers(config).stream().map(ProviderConfig::name).collect(Collectors.toSet());
    }
}
