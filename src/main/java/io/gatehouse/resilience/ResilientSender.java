package io.gatehouse.resilience;

import io.gatehouse.pipeline.Call;
import io.gatehouse.pipeline.ProxyRequest;
import io.gatehouse.pipeline.ProxyResponse;
import io.gatehouse.pipeline.UpstreamSender;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * The end of one event loop's interceptor chain: every call to a configured provider goes through its retries,
 * fallbacks, balancing, breakers and bulkhead, so the interceptors see a single send with a single response.
 */
final class ResilientSender implements UpstreamSender {
    private final Vertx vertx;
    private final UpstreamSender delegate;
    private final Resilience resilience;

    ResilientSender(Vertx vertx, UpstreamSender delegate, Resilience resilience) {
        this.vertx = vertx;
        this.delegate = delegate;
        this.resilience = resilience;
    }

    @Override
    public Future<ProxyResponse> send(Call call, ProxyRequest request) {
        ProviderPolicy policy = resilience.policy(request.upstream().name());
        if (policy == null) {
            return delegate.send(call, request);
        }
        return new ResilientCall(vertx, delegate, resilience, call, request, policy).start();
    }
}
