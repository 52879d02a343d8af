package io.gatehouse.proxy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.Version;
import io.gatehouse.config.ConfigView;
import io.gatehouse.cost.CostInterceptor;
import io.gatehouse.cost.UsageLedger;
import io.gatehouse.pipeline.Json;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;

import java.time.Instant;

/**
 * The gateway's own endpoints: {@code /health}, {@code /config}, {@code /metrics} (Prometheus text, or the
 * seed's JSON view with the session counters when the client accepts {@code application/json}) and {@code /usage}
 * (what calls consumed and cost, from the cost interceptor's ledger).
 */
final class LocalEndpoints {
    private final GatewayRuntime runtime;
    private final Buffer health;
    private final Buffer config;
    /** The cost interceptor's ledger, or null when calls are not metered. */
    private final UsageLedger usageLedger;

    LocalEndpoints(GatewayRuntime runtime) {
        this.runtime = runtime;
        ObjectNode healthJson = Json.MAPPER.createObjectNode()
                .put("status", "healthy").put("service", "gatehouse").put("version", Version.get());
        this.health = Buffer.buffer(Json.write(healthJson));
        this.config = Buffer.buffer(Json.write(ConfigView.effective(runtime.config())));
        this.usageLedger = runtime.interceptors().stream().filter(CostInterceptor.class::isInstance)
                .map(interceptor -> ((CostInterceptor) interceptor).ledger()).findFirst().orElse(null);
    }

    /** Answers the request when it is for one of these endpoints; returns false to let it be proxied. */
    boolean handle(HttpServerRequest request) {
        String path = request.path();
        if (!path.equals("/health") && !path.equals("/config") && !path.equals("/metrics") && !path.equals("/usage")) {
            return false;
        }
        if (request.method() != HttpMethod.GET && request.method() != HttpMethod.HEAD) {
            request.response().setStatusCode(405).putHeader("allow", "GET, HEAD")
                    .putHeader("content-type", "application/json")
                    .end("{\"error\":{\"message\":\"Method not allowed\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":null}}");
            return true;
        }
        switch (path) {
            case "/health" -> request.response().putHeader("content-type", "application/json").end(health);
            case "/config" -> request.response().putHeader("content-type", "application/json").end(config);
            case "/usage" -> usage(request);
            default -> {
                String accept = request.getHeader("accept");
                if (accept != null && accept.contains("application/json")) {
                    request.response().putHeader("content-type", "application/json").end(metricsJson());
                } else {
                    request.response().putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
                            .end(runtime.metrics().scrape());
                }
            }
        }
        return true;
    }

    /** The usage ledger's report, whole or grouped by one dimension ({@code ?group_by=model}). */
    private void usage(HttpServerRequest request) {
        UsageLedger ledger = usageLedger;
        if (ledger == null) {
            request.response().setStatusCode(404).putHeader("content-type", "application/json")
                    .end(errorJson("Usage accounting is off (cost.enabled: false)", null, "usage_disabled"));
            return;
        }
        String groupBy = request.getParam("group_by");
        if (groupBy == null || groupBy.isBlank()) {
            request.response().putHeader("content-type", "application/json").end(Buffer.buffer(Json.write(ledger.report())));
        } else if (ledger.dimensions().contains(groupBy)) {
            request.response().putHeader("content-type", "application/json")
                    .end(Buffer.buffer(Json.write(ledger.report(groupBy))));
        } else {
            String shown = groupBy.length() > 100 ? groupBy.substring(0, 100) : groupBy;
            request.response().setStatusCode(400).putHeader("content-type", "application/json")
                    .end(errorJson("Unknown group_by '" + shown + "'. Known: " + String.join(", ", ledger.dimensions()),
                            "group_by", "invalid_group_by"));
        }
    }

    private static Buffer errorJson(String message, String param, String code) {
        ObjectNode json = Json.MAPPER.createObjectNode();
        json.putObject("error").put("message", message).put("type", "invalid_request_error").put("param", param)
                .put("code", code);
        return Buffer.buffer(Json.write(json));
    }

    private Buffer metricsJson() {
        ObjectNode json = Json.MAPPER.createObjectNode()
                .put("service", "gatehouse")
                .put("timestamp", Instant.now().toString());
        json.set("sessions", Json.MAPPER.valueToTree(runtime.sessions().metrics().toMap()));
        return Buffer.buffer(Json.write(json));
    }
}
