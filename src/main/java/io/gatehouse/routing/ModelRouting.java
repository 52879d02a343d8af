package io.gatehouse.routing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.config.FallbackConfig;
import io.gatehouse.pipeline.Chain;
import io.gatehouse.pipeline.ErrorKind;
import io.gatehouse.pipeline.GatewayError;
import io.gatehouse.pipeline.GatewayException;
import io.gatehouse.pipeline.Interceptor;
import io.gatehouse.pipeline.Json;
import io.gatehouse.pipeline.ProxyRequest;
import io.gatehouse.pipeline.ProxyResponse;
import io.gatehouse.pipeline.Upstream;
import io.gatehouse.provider.ClientApis;
import io.gatehouse.resilience.Resilience;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Sends each call of the unified API to the provider its model names: {@code provider:model} goes to that provider
 * asking for {@code model}; an alias of the {@code models:} table goes to its first target, with the others as the
 * call's fallbacks; any other model stays with the route's provider, as a plain proxy would send it. Runs before
 * features, limits, sessions and cost, so they all see the provider and model the call really goes to. Also answers
 * {@code GET /v1/models} with what is routable, when the config lists models.
 */
public final class ModelRouting implements Interceptor {
    /** Call attribute: the model id the client asked for, before routing rewrote it (a String). */
    public static final String REQUESTED_MODEL = "gatehouse.routing.requested-model";
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
        if (request.method() == HttpMethod.GET && (path.equals("/v1/models") || path.startsWith("/v1/models/"))
                && catalog.listsModels()) {
            return ModelList.answer(catalog, request);
        }
        if (!(request.json() instanceof ObjectNode body) || (ClientApis.inboundApi(path) == null && !ROUTED_PATHS.contains(path))) {
            return chain.proceed(request);
        }
        JsonNode model = body.get("model");
        if (model == null || !model.isTextual()) {
            return chain.proceed(request);
        }
        String id = model.textValue();
        List<ModelTarget> targets = catalog.resolve(id);
        if (targets.isEmpty()) {
            if (namesUnknownProvider(id, request.upstream())) {
                return Future.failedFuture(new GatewayException(new GatewayError(ErrorKind.NOT_FOUND, "The model '" + id
                        + "' names no configured provider or alias (providers: " + String.join(", ", catalog.providers())
                        + ")", "model_not_found")));
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
        chain.call().attribute(REQUESTED_MODEL, id);
        chain.call().attribute(ROUTED_UPSTREAM, upstream);
        ObjectNode routed = body.deepCopy().put("model", primary.model());
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

    /** {@code GET /v1/models}: OpenAI's list shape, or Anthropic's when an Anthropic client asks. */
    private static final class ModelList {
        private ModelList() {
        }

        static Future<ProxyResponse> answer(ModelCatalog catalog, ProxyRequest request) {
            Map<String, String> listed = catalog.listed();
            boolean anthropic = request.headers().contains("anthropic-version");
            String path = request.path();
            if (path.startsWith("/v1/models/")) {
                String id = path.substring("/v1/models/".length());
                String owner = listed.get(id);
                if (owner == null) {
                    // A failed future, not a throw: the chain reports anything thrown as the gateway's own 500.
                    return Future.failedFuture(new GatewayException(new GatewayError(ErrorKind.NOT_FOUND, "The model '"
                            + id + "' is not one this gateway lists", "model_not_found")));
                }
                return Future.succeededFuture(ProxyResponse.json(200,
                        Buffer.buffer(Json.write(entry(id, owner, anthropic)))));
            }
            ObjectNode list = Json.MAPPER.createObjectNode();
            ArrayNode data = Json.MAPPER.createArrayNode();
            listed.forEach((id, owner) -> data.add(entry(id, owner, anthropic)));
            if (anthropic) {
                list.set("data", data);
                list.put("has_more", false);
                list.put("first_id", listed.isEmpty() ? null : listed.keySet().iterator().next());
                list.put("last_id", listed.isEmpty() ? null : List.copyOf(listed.keySet()).get(listed.size() - 1));
            } else {
                list.put("object", "list");
                list.set("data", data);
            }
            return Future.succeededFuture(ProxyResponse.json(200, Buffer.buffer(Json.write(list))));
        }

        private static ObjectNode entry(String id, String owner, boolean anthropic) {
            ObjectNode entry = Json.MAPPER.createObjectNode();
            if (anthropic) {
                entry.put("type", "model").put("id", id).put("display_name", id).put("created_at", "1970-01-01T00:00:00Z");
            } else {
                entry.put("id", id).put("object", "model").put("created", 0).put("owned_by", owner);
            }
            return entry;
        }
    }
}
