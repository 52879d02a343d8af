package io.gatehouse.provider.demo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** One request to the demo upstream with its parsed body, and the ways to answer it. */
record DemoExchange(Vertx vertx, HttpServerRequest request, JsonNode body, DemoDialect dialect,
                    long eventDelayMs, long receivedAtNanos) {

    /** The text of a mandatory body field; a missing one is answered with 400. */
    String requiredText(String field) {
        JsonNode value = body.get(field);
        if (value == null || !value.isTextual() || value.asText().isEmpty()) {
            throw new InvalidDemoRequest("Missing required parameter: '" + field + "'.", field);
        }
        return value.asText();
    }

    /** A mandatory non-empty array field; a missing one is answered with 400. */
    JsonNode requiredArray(String field) {
        JsonNode value = body.get(field);
        if (value == null || !value.isArray() || value.isEmpty()) {
            throw new InvalidDemoRequest("Missing required parameter: '" + field + "'.", field);
        }
        return value;
    }

    boolean wantsStream() {
        return body.path("stream").asBoolean(false);
    }

    void sendJson(int status, JsonNode json) {
        HttpServerResponse response = request.response();
        dialect.addResponseHeaders(response, processingMs());
        response.setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(Buffer.buffer(toBytes(json)));
    }

    /** Streams already framed SSE events, one write each, spaced by the configured delay. */
    void sendEvents(List<String> framedEvents) {
        HttpServerResponse response = request.response();
        dialect.addResponseHeaders(response, processingMs());
        response.setStatusCode(200)
                .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream; charset=utf-8")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
        DemoSse.stream(vertx, response, framedEvents, eventDelayMs);
    }

    private long processingMs() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - receivedAtNanos);
    }

    static byte[] toBytes(JsonNode json) {
        try {
            return DemoUpstream.JSON.writeValueAsBytes(json);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String toJson(JsonNode json) {
        try {
            return DemoUpstream.JSON.writeValueAsString(json);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
