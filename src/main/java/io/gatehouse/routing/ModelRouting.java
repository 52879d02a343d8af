package io.gatehouse.routing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.config.FallbackConfig;
import io.gatehouse.pipeline.Call;
import io.gatehouse.pipeline.Chain;
import io.gatehouse.pipeline.ErrorKind;
import io.gatehouse.pipeline.GatewayError;
import io.gatehouse.pipeline.GatewayException;
import io.gatehouse.pipeline.Interceptor;
import io.gatehouse.pipeline.ProxyRequest;
import io.gatehouse.pipeline.ProxyResponse;
import io.gatehouse.pipeline.Upstream;
import io.gatehouse.provider.ClientApis;
import io.gatehouse.resilience.Resilience;
import io.vertx.core.Future;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Sends each call of the unified API to the provider its model names: {@code provider:model} goes to that provider
 * asking for {@code model}; an alias of the {@code models:} table goes to its first target, with the others as the
 * call's fallbacks; any other model stays with the route's provider, as a plain proxy would send it. Runs first, so
 * request controls, authentication (with the project's key for that provider), features, limits, sessions and cost
 * all see the provider and model the call really goes to; it reads nothing but the body and does no I/O.
 */
public final class ModelRouting implements Interceptor {
    /**
     * Call attribute: the provider the call's model routed it to (an {@link Upstream}), which may not be the path's:
     * the errors the client gets name it, and its idle timeout applies to the response.
     */
    public static final String ROUTED_UPSTREAM = "gatehouse.routing.upstream";
    private static final Set<String> ROUTED_PATHS = Set.of("/v1/embeddings", "/v1/completions", "/v1/messages/count_tokens");
    private static final Pattern PROVIDER_NAME = Pattern.compile("[a-z0-9][a-z0-9_-]*");
    /** Model ids that contain ':' without naming a provider: OpenAI fine-tunes ({@code ft:gpt-4o-mini:org::id}). */
    private static final Set<String> MODEL_PREFIXES = Set.of("ft");
    /** Self-hosted servers whose own model names carry tags after ':' ({@code qwen3:8b}). */
    private static final Set<String> TAGGED_MODEL_SERVERS = Set.of("ollama", "vllm", "openai_compatible");

    private final ModelCatalog catalog;
    private final Map<String, Upstream> upstreams;

    ModelRouting(ModelCatalog catalog, Map<String, Upstream> upstreams) {
        this.catalog = catalog;
        this.upstreams = Map.copyOf(upstreams);
    }

    @Override
    public String name() {
        return "routing";
    }

    @Override
    public Future<ProxyResponse> intercept(Chain chain) {
        ProxyRequest request = chain.request();
        String path = request.path();
        String id = request.model();
        if (id == null || (ClientApis.inboundApi(path) == null && !ROUTED_PATHS.contains(path))) {
            return chain.proceed(request);
        }
        List<ModelTarget> targets = catalog.resolve(id);
        if (targets.isEmpty()) {
            if (namesUnknownProvider(id, request.upstream())) {
                // The providers are not listed: this answer goes out before authentication.
                return Future.failedFuture(new GatewayException(new GatewayError(ErrorKind.NOT_FOUND, "The model '" + id
                        + "' names no configured provider or alias", "model_not_found")));
            }
            return chain.proceed(request);
        }
        ModelTarget primary = targets.get(0);
        Upstream upstream = upstreams.get(primary.provider());
        if (upstream.name().equals(request.upstream().name())) {
            // An earlier interceptor may have put a key of its own on this provider (a project's): it stays.
            upstream = request.upstream();
        }
        if (targets.size() > 1) {
            chain.call().attribute(Resilience.CALL_FALLBACKS, targets.subList(1, targets.size()).stream()
                    .map(target -> new FallbackConfig(target.provider(), target.model())).toList());
        }
        chain.call().attribute(Call.REQUESTED_MODEL, id);
        chain.call().attribute(ROUTED_UPSTREAM, upstream);
        ObjectNode routed = ((ObjectNode) request.json()).deepCopy().put("model", primary.model());
        return chain.proceed(request.toBuilder().upstream(upstream).json(routed).build());
    }

    /**
     * True when the id reads as {@code provider:model} for a provider that is not configured, which is a typo to report
     * rather than a model to send on; ids of fine-tunes and of self-hosted servers, whose names contain ':', are not.
     */
    private boolean namesUnknownProvider(String id, Upstream route) {
        int colon = id.indexOf(':');
        if (colon <= 0) {
            return false;
        }
        String prefix = id.substring(0, colon);
        return PROVIDER_NAME.matcher(prefix).matches() && !MODEL_PREFIXES.contains(prefix)
                && !TAGGED_MODEL_SERVERS.contains(catalog.typeOf(route.name()));
    }
}
