package io.gatehouse.recording;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.pipeline.Call;
import io.gatehouse.pipeline.CallEnd;
import io.gatehouse.pipeline.CallOutcome;
import io.gatehouse.pipeline.GatewayError;
import io.gatehouse.pipeline.ProxyRequest;
import io.gatehouse.session.CallIdentity;
import io.gatehouse.session.SessionInterceptor;
import io.gatehouse.session.SessionMatch;
import io.vertx.core.MultiMap;

import java.time.Instant;

/** What the recorders read off a call, the same way for each of them. Event-loop only. */
final class CallFacts {
    static final String CLIENT_ABORTED = "client_aborted";
    private static final String WORKFLOW_PREFIX = "/agent-workflow/";

    private CallFacts() {
    }

    static String sessionId(Call call) {
        SessionMatch match = call.attribute(SessionInterceptor.MATCH);
        return match == null ? null : match.sessionId();
    }

    static String agentId(Call call) {
        CallIdentity identity = call.attribute(SessionInterceptor.IDENTITY);
        return identity == null ? null : identity.agentId();
    }

    static String model(ProxyRequest request) {
        JsonNode json = request.json();
        return json == null ? null : json.path("model").textValue();
    }

    /** When the call arrived, on the wall clock. */
    static Instant start(Call call) {
        long elapsedNanos = System.nanoTime() - call.startNanos();
        return Instant.now().minusNanos(Math.max(0, elapsedNanos));
    }

    static double epochSeconds(Instant instant) {
        return instant.getEpochSecond() + instant.getNano() / 1e9;
    }

    /**
     * The path the client used: the forwarded path behind the workflow prefix and the provider prefix it came with.
     * A provider prefix is shown for every provider but the default one, which clients reach without it.
     */
    static String clientPath(ProxyRequest request, String defaultProvider) {
        StringBuilder path = new StringBuilder();
        if (request.workflowId() != null) {
            path.append(WORKFLOW_PREFIX).append(request.workflowId());
        }
        if (request.upstream() != null && !request.upstream().name().equals(defaultProvider)) {
            path.append('/').append(request.upstream().name());
        }
        return path.append(request.path()).toString();
    }

    /** The absolute URL the client asked for, by its Host header. */
    static String clientUrl(ProxyRequest request, String clientPath) {
        String host = request.headers().get("host");
        String query = request.query();
        return "http://" + (host == null || host.isBlank() ? "localhost" : host) + clientPath
                + (query == null || query.isEmpty() ? "" : "?" + query);
    }

    /** The headers the client got with the response: the upstream's, the call's own, and the request id. */
    static MultiMap responseHeaders(CallEnd end) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        if (end.response() != null) {
            headers.addAll(end.response().headers());
        }
        if (end.call().hasResponseHeaders()) {
            MultiMap own = end.call().responseHeaders();
            for (String name : own.names()) {
                headers.set(name, own.getAll(name));
            }
        }
        return headers.set("x-gatehouse-request-id", end.call().id());
    }

    static String errorType(CallEnd end) {
        if (end.outcome() == CallOutcome.ABORTED) {
            return CLIENT_ABORTED;
        }
        GatewayError failure = end.failure();
        return failure == null || failure.code() == null ? "gateway_error" : failure.code();
    }

    static String errorMessage(CallEnd end) {
        if (end.outcome() == CallOutcome.ABORTED) {
            return "The client closed the connection before the response was complete";
        }
        GatewayError failure = end.failure();
        return failure == null ? "The call failed" : Redaction.secrets(failure.message());
    }
}
