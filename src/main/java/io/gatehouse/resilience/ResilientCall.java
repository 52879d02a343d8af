package io.gatehouse.resilience;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.config.FallbackConfig;
import io.gatehouse.pipeline.Call;
import io.gatehouse.pipeline.ErrorKind;
import io.gatehouse.pipeline.GatewayError;
import io.gatehouse.pipeline.GatewayException;
import io.gatehouse.pipeline.ProxyRequest;
import io.gatehouse.pipeline.ProxyResponse;
import io.gatehouse.pipeline.Secret;
import io.gatehouse.pipeline.Upstream;
import io.gatehouse.pipeline.UpstreamSender;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One client call's way to an answer: the addressed provider first, then its fallbacks in order; for each, attempts
 * on balanced deployments with backoff between them. A response goes back to the chain only when it is the answer,
 * so nothing of a response that is retried ever reaches the client, and once a response has gone back nothing is
 * retried. The request body is re-sent from the buffered bytes. All state is this call's own, on its event loop.
 */
final class ResilientCall {
    private static final Logger LOG = LoggerFactory.getLogger(ResilientCall.class);
    static final String UPSTREAM_HEADER = "x-gatehouse-upstream";
    /** What a full bulkhead asks clients to wait: calls in flight to an LLM end within seconds or stream on. */
    private static final long BULKHEAD_RETRY_AFTER_SECONDS = 1;

    private final Vertx vertx;
    private final UpstreamSender delegate;
    private final ResilienceMetrics metrics;
    private final Resilience resilience;
    private final Call call;
    private final ProxyRequest clientRequest;
    private final List<FallbackConfig> fallbacks;
    private final Promise<ProxyResponse> promise = Promise.promise();

    private int nextFallback;
    private ProviderPolicy policy;
    /** The request as the current provider gets it: the client's, with the fallback's model when it names one. */
    private ProxyRequest targetRequest;
    private int attempts;
    /** The key an interceptor chose for this call, which replaces the deployments' keys; null to use theirs. */
    private Secret credentialOfTheCall;
    /** The bulkhead place this call holds, handed on to the response body once the answer goes back. */
    private Bulkhead heldBulkhead;

    ResilientCall(Vertx vertx, UpstreamSender delegate, Resilience resilience, Call call, ProxyRequest request,
                  ProviderPolicy policy) {
        this.vertx = vertx;
        this.delegate = delegate;
        this.resilience = resilience;
        this.metrics = resilience.metrics();
        this.call = call;
        this.clientRequest = request;
        List<FallbackConfig> ofTheCall = call.attribute(Resilience.CALL_FALLBACKS);
        this.fallbacks = ofTheCall != null ? ofTheCall : policy.fallbacks();
        this.policy = policy;
    }

    Future<ProxyResponse> start() {
        begin(policy, null);
        return promise.future();
    }

    /** Takes on a provider: its bulkhead place, then the first attempt. */
    private void begin(ProviderPolicy provider, String model) {
        policy = provider;
        attempts = 0;
        targetRequest = withModel(clientRequest, model);
        // An interceptor that put another key on the call's upstream (a project's own key) chose the credential: it
        // goes to whichever deployment serves the call. Fallbacks are other providers and use their own keys.
        Upstream asked = clientRequest.upstream();
        credentialOfTheCall = provider.routed().name().equals(asked.name()) && asked.apiKey() != provider.routed().apiKey()
                ? asked.apiKey() : null;
        Bulkhead bulkhead = provider.bulkhead();
        if (bulkhead != null && !bulkhead.tryEnter()) {
            metrics.bulkheadRejection(provider.name());
            refuse(new GatewayError(ErrorKind.RATE_LIMIT, "Provider '" + provider.name() + "' has its maximum of calls "
                    + "in flight; retry shortly", "concurrency_limit_exceeded"), BULKHEAD_RETRY_AFTER_SECONDS);
            return;
        }
        heldBulkhead = bulkhead;
        attempt();
    }

    private void attempt() {
        attempts++;
        Deployment deployment = pickDeployment();
        if (deployment == null) {
            leaveBulkhead();
            refuse(new GatewayError(ErrorKind.UPSTREAM_UNREACHABLE, 503, "Provider '" + policy.name()
                    + "' is failing; its circuit breaker is open", "circuit_open"), secondsUntilProbe());
            return;
        }
        call.responseHeaders().set(UPSTREAM_HEADER, deployment.label());
        Upstream upstream = credentialOfTheCall == null ? deployment.upstream() : deployment.upstream().withApiKey(credentialOfTheCall);
        ProxyRequest outgoing = upstream == targetRequest.upstream() ? targetRequest
                : targetRequest.toBuilder().upstream(upstream).build();
        deployment.inFlight().incrementAndGet();
        long startedAt = System.nanoTime();
        send(outgoing).onComplete(result -> {
            long waited = System.nanoTime() - startedAt;
            if (result.succeeded()) {
                onResponse(deployment, waited, result.result());
            } else {
                onFailure(deployment, waited, result.cause());
            }
        });
    }

    /** Sends one attempt; a sender that throws fails the attempt instead of leaving the call without an answer. */
    private Future<ProxyResponse> send(ProxyRequest outgoing) {
        try {
            return delegate.send(call, outgoing);
        } catch (RuntimeException e) {
            LOG.warn("Request {}: sending upstream failed: {}", call.id(), e.toString());
            return Future.failedFuture(new GatewayException(GatewayError.internal("Sending upstream failed"), e));
        }
    }

    /**
     * A deployment whose breaker lets this call through, chosen by the provider's balancing among those not yet
     * refused; null when every breaker is open.
     */
    private Deployment pickDeployment() {
        List<Deployment> candidates = policy.deployments();
        if (candidates.size() == 1) {
            return candidates.getFirst().permits() ? candidates.getFirst() : null;
        }
        candidates = new ArrayList<>(candidates);
        while (!candidates.isEmpty()) {
            Deployment picked = policy.balancer().pick(candidates, ThreadLocalRandom.current());
            if (picked.permits()) {
                return picked;
            }
            candidates.remove(picked);
        }
        return null;
    }

    private void onResponse(Deployment deployment, long waited, ProxyResponse response) {
        deployment.recordLatency(waited);
        int status = response.status();
        if (deployment.breaker() != null) {
            if (status >= 500) {
                deployment.breaker().onFailure(waited);
            } else {
                deployment.breaker().onSuccess(waited);
            }
        }
        if (policy.retry().retriesStatus(status) && attempts < policy.retry().maxAttempts()) {
            long delay = policy.retry().delayBeforeRetry(attempts, response.headers(), Instant.now(), ThreadLocalRandom.current());
            if (delay != RetryPolicy.GIVE_UP) {
                discard(deployment, response);
                metrics.retry(policy.name(), "status_" + status);
                LOG.debug("Request {}: {} answered {}, retry {} in {} ms", call.id(), deployment.label(), status, attempts, delay);
                retryAfter(delay);
                return;
            }
        }
        if (policy.fallbackOn().contains(status) && nextFallback < fallbacks.size()) {
            discard(deployment, response);
            leaveBulkhead();
            LOG.info("Request {}: {} answered {}, falling back", call.id(), deployment.label(), status);
            fallBack();
            return;
        }
        deliver(deployment, response);
    }

    private void onFailure(Deployment deployment, long waited, Throwable cause) {
        deployment.inFlight().decrementAndGet();
        if (call.isCancelled()) {
            if (deployment.breaker() != null) {
                deployment.breaker().release();
            }
            leaveBulkhead();
            promise.tryFail(cause);
            return;
        }
        if (deployment.breaker() != null) {
            if (refusedBeforeSending(cause)) {
                // The gateway refused the call (a feature the provider's API cannot take): the provider never saw it,
                // and a client's bad requests must not open the breaker on everyone else.
                deployment.breaker().release();
            } else {
                deployment.breaker().onFailure(waited);
            }
        }
        boolean connectionFailed = connectionFailed(cause);
        if (connectionFailed && policy.retry().onConnectError() && attempts < policy.retry().maxAttempts()) {
            metrics.retry(policy.name(), "connect_error");
            retryAfter(policy.retry().backoffMillis(attempts, ThreadLocalRandom.current()));
            return;
        }
        leaveBulkhead();
        if (connectionFailed && nextFallback < fallbacks.size()) {
            LOG.info("Request {}: {} could not be reached, falling back", call.id(), deployment.label());
            fallBack();
            return;
        }
        promise.tryFail(cause);
    }

    /** The sender refused the request as invalid for this provider (translation), before sending anything. */
    private static boolean refusedBeforeSending(Throwable cause) {
        return cause instanceof GatewayException gateway && gateway.error().kind() == ErrorKind.INVALID_REQUEST;
    }

    /**
     * Nothing reached the upstream, or it closed the connection before any response: the only failures without a
     * response that are safe to send again. A call that timed out waiting for headers may still be running upstream.
     */
    private static boolean connectionFailed(Throwable cause) {
        return cause instanceof GatewayException gateway
                && (gateway.error().kind() == ErrorKind.UPSTREAM_UNREACHABLE
                || "upstream_connect_timeout".equals(gateway.error().code()));
    }

    private void retryAfter(long delayMillis) {
        if (call.isCancelled()) {
            leaveBulkhead();
            promise.tryFail(clientGone());
            return;
        }
        long waitStarted = System.nanoTime();
        long timer = vertx.setTimer(Math.max(1, delayMillis), id -> {
            // Waiting for the upstream to recover is upstream time, not the gateway's own overhead.
            call.addUpstreamNanos(System.nanoTime() - waitStarted);
            attempt();
        });
        call.onCancel(() -> {
            vertx.cancelTimer(timer);
            leaveBulkhead();
            promise.tryFail(clientGone());
        });
    }

    private void fallBack() {
        FallbackConfig fallback = fallbacks.get(nextFallback++);
        ProviderPolicy target = resilience.policy(fallback.provider());
        metrics.fallback(policy.name(), target.name());
        begin(target, fallback.model());
    }

    /** The current provider cannot take the call at all: the next fallback gets it, else the client gets the error. */
    private void refuse(GatewayError error, long retryAfterSeconds) {
        if (nextFallback < fallbacks.size()) {
            fallBack();
            return;
        }
        call.responseHeaders().set("retry-after", Long.toString(retryAfterSeconds));
        promise.tryFail(new GatewayException(error));
    }

    private long secondsUntilProbe() {
        long seconds = Long.MAX_VALUE;
        for (Deployment deployment : policy.deployments()) {
            seconds = Math.min(seconds, deployment.breaker().secondsUntilProbe());
        }
        return seconds;
    }

    /** Hands the response back; the deployment's in-flight count and the bulkhead place go when its body ends. */
    private void deliver(Deployment deployment, ProxyResponse response) {
        Bulkhead bulkhead = heldBulkhead;
        heldBulkhead = null;
        ProxyResponse answer = ProxyResponse.fromUpstream(response.status(), response.headers(),
                new ReleasingBody(response.body(), () -> {
                    deployment.inFlight().decrementAndGet();
                    if (bulkhead != null) {
                        bulkhead.leave();
                    }
                }));
        if (!promise.tryComplete(answer)) {
            answer.body().cancel();
        }
    }

    /** Lets go of a response that is not the answer without reading it. */
    private static void discard(Deployment deployment, ProxyResponse response) {
        response.body().cancel();
        deployment.inFlight().decrementAndGet();
    }

    private void leaveBulkhead() {
        if (heldBulkhead != null) {
            heldBulkhead.leave();
            heldBulkhead = null;
        }
    }

    private static ProxyRequest withModel(ProxyRequest request, String model) {
        if (model == null || !(request.json() instanceof ObjectNode json) || !json.has("model")) {
            return request;
        }
        ObjectNode rewritten = json.deepCopy();
        rewritten.put("model", model);
        return request.toBuilder().json(rewritten).build();
    }

    private static GatewayException clientGone() {
        return new GatewayException(GatewayError.internal("The client went away"));
    }
}
