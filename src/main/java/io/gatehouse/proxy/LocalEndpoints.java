package io.gatehouse.proxy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.Version;
import io.gatehouse.config.ConfigView;
import io.gatehouse.pipeline.Json;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;

import java.time.Instant;

/**
 * The gateway's own endpoints: {@code /health}, {@code /config} and {@code /metrics} (Prometheus text, or the
 * seed's JSON view with the session counters when the client accepts {@code application/json}).
 */
final class LocalEndpoints {
    private final GatewayRuntime runtime;
    private final Buffer health;
    private final Buffer config;

    LocalEndpoints(GatewayRuntime runtime) {
        this.runtime = runtime;
        ObjectNode healthJson = Json.MAPPER.createObjectNode()
                .put("status", "healthy").put("service", "gatehouse").put("version", Version.get());
        this.health = Buffer.buffer(Json.write(healthJson));
        this.config = Buffer.buffer(Json.write(ConfigView.effective(runtime.config())));
    }

    /** Answers the request when it is for one of these endpoints; returns false to let it be proxied. */
    boolean handle(HttpServerRequest request) {
        String path = request.path();
        if (!path.equals("/health") && !path.equals("/config") && !path.equals("/metrics")) {
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

    private Buffer metricsJson() {
        ObjectNode json = Json.MAPPER.createObjectNode()
                .put("service", "gatehouse")
                .put("timestamp", Instant.now().toString());
        json.set("sessions", Json.MAPPER.valueToTree(runtime.sessions().metrics().toMap()));
        return Buffer.buffer(Json.write(json));
    }
}
