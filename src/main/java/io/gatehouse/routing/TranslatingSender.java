package io.gatehouse.routing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.cost.Endpoint;
import io.gatehouse.cost.TokenCounter;
import io.gatehouse.pipeline.Call;
import io.gatehouse.pipeline.Json;
import io.gatehouse.pipeline.ErrorKind;
import io.gatehouse.pipeline.GatewayError;
import io.gatehouse.pipeline.GatewayException;
import io.gatehouse.pipeline.ProxyRequest;
import io.gatehouse.pipeline.ProxyResponse;
import io.gatehouse.pipeline.Secret;
import io.gatehouse.pipeline.Upstream;
import io.gatehouse.pipeline.UpstreamSender;
import io.gatehouse.pipeline.WireFormat;
import io.gatehouse.provider.ClientApis;
import io.gatehouse.provider.azure.AzurePaths;
import io.gatehouse.provider.translate.InboundApi;
import io.gatehouse.provider.translate.Translator;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Sends each attempt of a call in the API of the provider it goes to. Below retries and fallbacks, so a fallback to a
 * provider of another type is translated for that one. Calls the provider speaks natively pass untouched (Azure's get
 * its deployment path); the others are translated out, and their answer back: streams chunk by chunk, plain bodies
 * and errors whole, with the provider's status.
 */
final class TranslatingSender implements UpstreamSender {
    private static final String EVENT_STREAM = "text/event-stream";
    private static final String AWS_EVENT_STREAM = "application/vnd.amazon.eventstream";
    /** Headers that steer one client API and mean nothing, or something else, to another provider. */
    private static final List<String> CLIENT_API_HEADER_PREFIXES = List.of("anthropic-", "openai-", "x-goog-", "x-amz-");
    /** OpenAI endpoints with no translation: only providers that speak OpenAI's API serve them. */
    private static final List<String> OPENAI_ONLY_PATHS = List.of("/v1/embeddings", "/v1/completions");
    private static final String COUNT_TOKENS_PATH = "/v1/messages/count_tokens";

    private final Vertx vertx;
    private final UpstreamSender delegate;
    private final Map<String, ProviderTarget> targets;

    TranslatingSender(Vertx vertx, UpstreamSender delegate, Map<String, ProviderTarget> targets) {
        this.vertx = vertx;
        this.delegate = delegate;
        this.targets = targets;
    }

    @Override
    public Future<ProxyResponse> send(Call call, ProxyRequest request) {
        ProviderTarget target = targets.get(request.upstream().name());
        if (target == null || request.method() != HttpMethod.POST) {
            return delegate.send(call, request);
        }
        InboundApi api = ClientApis.inboundApi(request.path());
        if (api == null && !target.speaksOpenAi() && OPENAI_ONLY_PATHS.contains(request.path())) {
            return Future.failedFuture(unservable(target, request.path()));
        }
        if (request.path().equals(COUNT_TOKENS_PATH) && !target.natively().contains(InboundApi.ANTHROPIC_MESSAGES)) {
            return countTokensLocally(request);
        }
        if (api == null || target.natively().contains(api)) {
            return delegate.send(call, target.isAzure() ? onAzure(request, target) : request);
        }
        Translator translator = target.translators().get(api);
        if (translator == null) {
            return Future.failedFuture(new GatewayException(GatewayError.invalidRequest("Provider '" + target.name()
                    + "' (" + target.type() + ") cannot serve " + request.path())));
        }
        Translator.Translation translation;
        try {
            translation = translator.request(request.json(), modelOf(request.json()));
        } catch (GatewayException e) {
            return Future.failedFuture(e);
        }
        ProxyRequest outgoing = request.toBuilder()
                .path(translation.upstream().path())
                .query(translation.upstream().query())
                .headers(upstreamHeaders(request, translation))
                .upstream(credentialed(request))
                .json(translation.upstream().body())
                .build();
        Upstream upstream = outgoing.upstream();
        return delegate.send(call, outgoing).compose(response -> answer(request.clientFormat(), translator, translation,
                upstream, response));
    }

    /**
     * OpenAI's paths become the deployment's, every call names Azure's api-version, and the key of a client that
     * brings its own goes where Azure reads keys.
     */
    private static ProxyRequest onAzure(ProxyRequest request, ProviderTarget target) {
        String path = request.path().equals("/v1/responses") ? AzurePaths.RESPONSES_PATH
                : AzurePaths.deploymentPath(request.path(), modelOf(request.json()));
        ProxyRequest.Builder azure = request.toBuilder();
        if (path != null) {
            azure.path(path).query(AzurePaths.withApiVersion(request.query(), target.apiVersion()));
        }
        String bearer = bearerToken(request.headers());
        // An OpenAI SDK sends its key as a bearer token; Azure takes a bearer token only from Entra ID (a JWT).
        if (request.upstream().apiKey() == null && request.headers().get("api-key") == null && bearer != null
                && !looksLikeJwt(bearer)) {
            azure.upstream(request.upstream().withApiKey(Secret.ofNullable(bearer)));
        }
        return azure.build();
    }

    private static boolean looksLikeJwt(String token) {
        int firstDot = token.indexOf('.');
        return token.startsWith("eyJ") && firstDot > 0 && token.indexOf('.', firstDot + 1) > firstDot;
    }

    private Future<ProxyResponse> answer(WireFormat clientFormat, Translator translator, Translator.Translation translation,
                                         Upstream upstream, ProxyResponse response) {
        int status = response.status();
        MultiMap headers = clientHeaders(response.headers());
        if (status >= 200 && status < 300 && isStream(response)) {
            headers.set("content-type", "text/event-stream; charset=utf-8");
            return Future.succeededFuture(ProxyResponse.fromUpstream(status, headers,
                    new TranslatedBody(response.body(), translator.stream(translation, response.headers()),
                            upstream.name())));
        }
        return BodyCollector.collect(vertx, response.body(), upstream.idleTimeout(), upstream.name()).map(body -> {
            headers.set("content-type", "application/json");
            if (status >= 200 && status < 300) {
                return ProxyResponse.of(status, headers, translator.response(translation, body));
            }
            GatewayError error = translator.error(status, response.headers(), body);
            return ProxyResponse.of(status, headers, clientFormat.errorBody(error));
        });
    }

    private static boolean isStream(ProxyResponse response) {
        String type = response.headers().get("content-type");
        return type != null && (type.regionMatches(true, 0, EVENT_STREAM, 0, EVENT_STREAM.length())
                || type.regionMatches(true, 0, AWS_EVENT_STREAM, 0, AWS_EVENT_STREAM.length()));
    }

    /** The provider's response headers minus those that describe its body, which the client does not get. */
    private static MultiMap clientHeaders(MultiMap upstream) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(upstream);
        headers.remove("content-length");
        headers.remove("content-type");
        headers.remove("content-encoding");
        return headers;
    }

    /**
     * The client's headers as the provider gets them: without the client's credential (the provider's own is applied
     * below, and a key for one provider must never reach another) and without the headers of the client's API, plus
     * those the provider's API needs.
     */
    private static MultiMap upstreamHeaders(ProxyRequest request, Translator.Translation translation) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        List<String> clientCredentials = request.clientFormat().credentialHeaders();
        request.headers().forEach((name, value) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!clientCredentials.contains(lower) && CLIENT_API_HEADER_PREFIXES.stream().noneMatch(lower::startsWith)) {
                headers.add(name, value);
            }
        });
        translation.upstream().headers().forEach(headers::set);
        return headers;
    }

    /**
     * The upstream with the key the call goes out with: the gateway's own when it holds one; else the client's, moved
     * from wherever the client's API carries it to wherever the provider's does.
     */
    private static Upstream credentialed(ProxyRequest request) {
        Upstream upstream = request.upstream();
        if (upstream.apiKey() != null) {
            return upstream;
        }
        String key = clientKey(request.headers());
        return key == null ? upstream : upstream.withApiKey(Secret.ofNullable(key));
    }

    private static String clientKey(MultiMap headers) {
        String bearer = bearerToken(headers);
        if (bearer != null) {
            return bearer;
        }
        for (String header : List.of("x-api-key", "api-key", "x-goog-api-key")) {
            String value = headers.get(header);
            if (value != null && !value.isBlank()) {
                return value.trim();
            }
        }
        return null;
    }

    private static String bearerToken(MultiMap headers) {
        String authorization = headers.get("authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String token = authorization.substring(7).trim();
            return token.isEmpty() ? null : token;
        }
        return null;
    }

    private static String modelOf(JsonNode body) {
        JsonNode model = body == null ? null : body.get("model");
        return model != null && model.isTextual() ? model.textValue() : null;
    }

    /**
     * Anthropic's token counting for a provider that has none: the gateway's own count of the request, with the
     * tokenizer the cost accounting uses, in Anthropic's answer shape.
     */
    private static Future<ProxyResponse> countTokensLocally(ProxyRequest request) {
        JsonNode body = request.json();
        if (body == null || !body.isObject()) {
            return Future.failedFuture(new GatewayException(GatewayError.invalidRequest(
                    "count_tokens needs a JSON body with messages")));
        }
        long tokens = TokenCounter.countInput(Endpoint.MESSAGES, modelOf(body), body);
        ObjectNode answer = Json.MAPPER.createObjectNode().put("input_tokens", tokens);
        return Future.succeededFuture(ProxyResponse.json(200, Buffer.buffer(Json.write(answer))));
    }

    /** Refusal for calls that reach a provider through a route it cannot serve. */
    private static GatewayException unservable(ProviderTarget target, String path) {
        return new GatewayException(new GatewayError(ErrorKind.INVALID_REQUEST, "Provider '" + target.name() + "' ("
                + target.type() + ") does not serve " + path, "unsupported_route"));
    }
}
