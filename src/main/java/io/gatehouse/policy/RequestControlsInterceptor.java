package io.gatehouse.policy;

import io.gatehouse.config.ProviderConfig;
import io.gatehouse.pipeline.Call;
import io.gatehouse.pipeline.Chain;
import io.gatehouse.pipeline.GatewayError;
import io.gatehouse.pipeline.GatewayException;
import io.gatehouse.pipeline.Interceptor;
import io.gatehouse.pipeline.ProxyRequest;
import io.gatehouse.pipeline.ProxyResponse;
import io.gatehouse.pipeline.Upstream;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Enforces each provider's request controls ({@code allowed_methods}, {@code allowed_paths}, {@code required_headers},
 * {@code allowed_origins}, {@code param_whitelist}) ahead of every other interceptor, so a refused request costs
 * nothing further and never reaches the upstream. It answers CORS preflights itself, before any authentication, and
 * puts the CORS headers on every other response of a provider that allows origins, from the moment the request's
 * head arrives. Calls to providers without controls pass straight on.
 */
public final class RequestControlsInterceptor implements Interceptor {
    public static final String NAME = "request_controls";

    private final Map<String, RequestControls> byProvider;

    private RequestControlsInterceptor(Map<String, RequestControls> byProvider) {
        this.byProvider = byProvider;
    }

    /**
     * The interceptor for these providers, or empty when none of them has controls.
     *
     * @throws IllegalArgumentException when a {@code param_whitelist} key is not a field path
     */
    public static Optional<Interceptor> forProviders(List<ProviderConfig> providers) {
        Map<String, RequestControls> byProvider = RequestControls.of(providers);
        return byProvider.isEmpty() ? Optional.empty() : Optional.of(new RequestControlsInterceptor(byProvider));
    }

    @Override
    public String name() {
        return NAME;
    }

    /** CORS headers go on at once, so that even a refusal made before the chain (413, malformed JSON) carries them. */
    @Override
    public void onRequestHead(Call call, HttpMethod method, String path, MultiMap headers, Upstream upstream) {
        RequestControls controls = byProvider.get(upstream.name());
        if (controls != null && controls.cors().isEnabled() && !CorsPolicy.isPreflight(method, headers)) {
            controls.cors().addResponseHeaders(call, headers.get("origin"));
        }
    }

    @Override
    public Future<ProxyResponse> intercept(Chain chain) {
        ProxyRequest request = chain.request();
        RequestControls controls = byProvider.get(request.upstream().name());
        if (controls == null) {
            return chain.proceed(request);
        }
        Call call = chain.call();
        CorsPolicy cors = controls.cors();
        if (CorsPolicy.isPreflight(request.method(), request.headers())) {
            ProxyResponse answer = cors.preflight(request, call);
            return answer != null ? Future.succeededFuture(answer)
                    : refuse(cors.originNotAllowed(request.headers().get("origin")));
        }
        GatewayError rejection = controls.check(request, call);
        if (rejection != null) {
            return refuse(rejection);
        }
        Future<ProxyResponse> response = chain.proceed(request);
        return cors.isEnabled() ? response.map(reply -> cors.replaceUpstreamHeaders(reply, call)) : response;
    }

    private static Future<ProxyResponse> refuse(GatewayError error) {
        return Future.failedFuture(new GatewayException(error));
    }
}
