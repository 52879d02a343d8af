package io.gatehouse.routing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.pipeline.Chain;
import io.gatehouse.pipeline.ErrorKind;
import io.gatehouse.pipeline.GatewayError;
import io.gatehouse.pipeline.GatewayException;
import io.gatehouse.pipeline.Interceptor;
import io.gatehouse.pipeline.Json;
import io.gatehouse.pipeline.ProxyRequest;
import io.gatehouse.pipeline.ProxyResponse;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;

import java.util.List;
import java.util.Map;

/**
 * {@code GET /v1/models} and {@code /v1/models/{id}} when the config lists models (aliases, providers' {@code models}):
 * exactly what the unified API routes, in OpenAI's list shape, or Anthropic's when an Anthropic client asks. After
 * authentication, like the providers' own model lists. Without listed models the call goes on to the provider.
 */
final class ModelListing implements Interceptor {
    private final ModelCatalog catalog;

    ModelListing(ModelCatalog catalog) {
        this.catalog = catalog;
    }

    @Override
    public String name() {
        return "models";
    }

    @Override
    public Future<ProxyResponse> intercept(Chain chain) {
        ProxyRequest request = chain.request();
        String path = request.path();
        if (request.method() == HttpMethod.GET && (path.equals("/v1/models") || path.startsWith("/v1/models/"))) {
            return answer(catalog, request);
        }
        return chain.proceed(request);
    }

    private static Future<ProxyResponse> answer(ModelCatalog catalog, ProxyRequest request) {
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
            return Future.succeededFuture(ProxyResponse.json(200, Buffer.buffer(Json.write(entry(id, owner, anthropic)))));
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
