package io.gatehouse.feature;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.pipeline.CallPrincipal;
import io.gatehouse.pipeline.ErrorKind;
import io.gatehouse.pipeline.Chain;
import io.gatehouse.pipeline.GatewayError;
import io.gatehouse.pipeline.GatewayException;
import io.gatehouse.pipeline.Interceptor;
import io.gatehouse.pipeline.ProxyRequest;
import io.gatehouse.pipeline.ProxyResponse;
import io.gatehouse.pipeline.Secret;
import io.gatehouse.pipeline.Upstream;
import io.gatehouse.provider.ClientApis;
import io.vertx.core.Future;

import java.util.Map;

/**
 * Picks the call's feature and applies it: the feature's {@code model} (and its provider), its provider key, and its
 * name as the call's {@code feature} dimension.
 *
 * <p>The feature comes from, in order: the authenticated key's metadata {@code feature} (the client cannot override
 * what its key says), the {@value #FEATURE_HEADER} header, the body's {@code metadata.feature}, else the feature
 * named {@code default} if configured, else none and the call passes unchanged. A name that is not configured is
 * refused, naming the configured ones: SLLMP's silent fallback to {@code default} bills the wrong feature.
 *
 * <p>Credential precedence: the feature's {@code provider_api_keys} entry for the provider the call goes to wins over
 * a project key set by virtual-key auth, because the feature is the more specific choice. Without an entry the call
 * keeps auth's key when it stays on the client's provider, and takes the target provider's configured key when the
 * feature moves it elsewhere (a project key belongs to the provider it was issued for).
 */
public final class FeatureInterceptor implements Interceptor {
    /** The header a client names its feature with; the gateway strips it before forwarding. */
    public static final String FEATURE_HEADER = "x-gatehouse-feature";

    private final FeatureCatalog catalog;
    private final Map<String, Upstream> upstreams;

    /** @param upstreams every configured provider by name; each feature's provider is one of them (checked at load) */
    public FeatureInterceptor(FeatureCatalog catalog, Map<String, Upstream> upstreams) {
        this.catalog = catalog;
        this.upstreams = Map.copyOf(upstreams);
    }

    @Override
    public String name() {
        return "feature";
    }

    @Override
    public Future<ProxyResponse> intercept(Chain chain) {
        ProxyRequest request = chain.request();
        CallPrincipal principal = chain.call().attribute(CallPrincipal.ATTRIBUTE);
        String requested = requestedName(principal, request);
        Feature feature;
        if (requested == null) {
            feature = catalog.find(FeatureCatalog.DEFAULT_FEATURE).orElse(null);
            if (feature == null) {
                return chain.proceed(request);
            }
        } else {
            feature = catalog.find(requested).orElse(null);
            if (feature == null) {
                return refuse("unknown feature \"" + requested + "\"; configured features: "
                        + String.join(", ", catalog.names()), "unknown_feature");
            }
        }
        // Limits and cost read the feature dimension from this header after key metadata, which already decided
        // the choice above; setting it makes every reader agree on the selected feature, `default` included.
        ProxyRequest.Builder rewritten = request.toBuilder().header(FEATURE_HEADER, feature.name());
        Upstream upstream = request.upstream();
        if (feature.provider() != null) {
            // The key's allowed models bind the feature's model too: a client must not reach a model its key may not
            // use by naming a feature that rewrites to it.
            if (principal != null && !principal.mayUse(feature.provider() + ":" + feature.model())) {
                return Future.failedFuture(new GatewayException(new GatewayError(ErrorKind.PERMISSION, "This gateway key"
                        + " may not use model '" + feature.model() + "' of feature \"" + feature.name() + "\"",
                        "model_not_allowed")));
            }
            Upstream target = upstreams.get(feature.provider());
            // Calls of the unified API are translated for whichever provider they go to; other routes are passed
            // through, so they need a provider of their own API.
            if (!target.format().type().equals(upstream.format().type()) && ClientApis.inboundApi(request.path()) == null) {
                return refuse("feature \"" + feature.name() + "\" uses provider \"" + feature.provider()
                        + "\", which speaks another API than this route (" + upstream.name()
                        + "); call it through a route of the same API", "feature_provider_mismatch");
            }
            if (!target.name().equals(upstream.name())) {
                upstream = target;
            }
            if (request.json() instanceof ObjectNode body) {
                rewritten.json(body.deepCopy().put("model", feature.model()));
            }
        }
        String key = feature.providerApiKeys().get(upstream.name());
        if (key != null) {
            upstream = upstream.withApiKey(Secret.ofNullable(key));
        }
        return chain.proceed(rewritten.upstream(upstream).build());
    }

    private static String requestedName(CallPrincipal principal, ProxyRequest request) {
        if (principal != null && notBlank(principal.metadata().get("feature"))) {
            return principal.metadata().get("feature");
        }
        String header = request.headers().get(FEATURE_HEADER);
        if (notBlank(header)) {
            return header;
        }
        JsonNode fromBody = request.json() == null ? null : request.json().path("metadata").path("feature");
        return fromBody != null && fromBody.isTextual() && notBlank(fromBody.textValue()) ? fromBody.textValue() : null;
    }

    private static boolean notBlank(String value) {
        return value != null && !value.isBlank();
    }

    private static Future<ProxyResponse> refuse(String message, String code) {
        return Future.failedFuture(new GatewayException(new GatewayError(ErrorKind.INVALID_REQUEST, message, code)));
    }
}
