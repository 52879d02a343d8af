package io.gatehouse.provider.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

import java.io.IOException;
import java.util.Map;
import java.util.function.Consumer;

/**
 * An in-process stand-in for the OpenAI and Anthropic APIs that speaks their real wire formats and echoes the
 * user's text back, so the gateway can be tried without a key and benchmarked against a fast upstream.
 */
public final class DemoUpstream {

    static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param eventDelayMs   pause between two streamed events; 0 streams as fast as the socket takes them
     * @param requiredApiKey the key clients must present, or null to accept any request
     */
    public record Options(long eventDelayMs, String requiredApiKey) {
        public static Options defaults() {
            return new Options(0, null);
        }
    }

    private final Vertx vertx;
    private final Options options;
    private final DemoOpenAi openAi = new DemoOpenAi();
    private final DemoAnthropic anthropic = new DemoAnthropic();
    private final Map<String, Consumer<DemoExchange>> routes = Map.of(
            "POST /v1/chat/completions", openAi::chatCompletions,
            "POST /v1/embeddings", openAi::embeddings,
            "POST /v1/responses", openAi::responses,
            "POST /v1/messages", anthropic::messages,
            "POST /v1/messages/count_tokens", anthropic::countTokens,
            "GET /v1/models", this::models);

    private DemoUpstream(Vertx vertx, Options options) {
        this.vertx = vertx;
        this.options = options == null ? Options.defaults() : options;
    }

    public static Future<HttpServer> start(Vertx vertx, String host, int port, Options options) {
        return vertx.createHttpServer()
                .requestHandler(handler(vertx, options))
                .listen(port, host);
    }

    public static Handler<HttpServerRequest> handler(Vertx vertx, Options options) {
        return new DemoUpstream(vertx, options)::handle;
    }

    private void handle(HttpServerRequest request) {
        long receivedAtNanos = System.nanoTime();
        try {
            // Ask for the body right away: it is only readable until the request has ended.
            request.body().onSuccess(body -> answer(request, body, receivedAtNanos));
        } catch (RuntimeException e) {
            failUnexpectedly(request, dialectOf(request), e);
        }
    }

    private void answer(HttpServerRequest request, Buffer rawBody, long receivedAtNanos) {
        DemoDialect dialect = dialectOf(request);
        try {
            if (!dialect.hasKey(request, options.requiredApiKey())) {
                dialect.fail(request, DemoFailure.AUTHENTICATION, null, null);
                return;
            }
            Consumer<DemoExchange> route = routes.get(request.method().name() + " " + request.path());
            if (route == null) {
                dialect.fail(request, DemoFailure.NOT_FOUND, null, null);
                return;
            }
            JsonNode body = request.method() == HttpMethod.GET ? JSON.createObjectNode() : parseObject(rawBody);
            route.accept(new DemoExchange(vertx, request, body, dialect, options.eventDelayMs(), receivedAtNanos));
        } catch (InvalidDemoRequest e) {
            dialect.fail(request, DemoFailure.INVALID_REQUEST, e.getMessage(), e.param());
        } catch (RuntimeException e) {
            failUnexpectedly(request, dialect, e);
        }
    }

    private static JsonNode parseObject(Buffer rawBody) {
        JsonNode body;
        try {
            body = JSON.readTree(rawBody.getBytes());
        } catch (IOException e) {
            throw new InvalidDemoRequest("We could not parse the JSON body of your request.", null);
        }
        if (body == null || !body.isObject()) {
            throw new InvalidDemoRequest("The request body must be a JSON object.", null);
        }
        return body;
    }

    private void models(DemoExchange exchange) {
        if (exchange.dialect() == anthropic) {
            anthropic.models(exchange);
        } else {
            openAi.models(exchange);
        }
    }

    private DemoDialect dialectOf(HttpServerRequest request) {
        String path = request.path();
        // Both SDKs list models at the same path; only Anthropic's sends its version header.
        boolean anthropicModels = path.startsWith("/v1/models") && request.headers().contains("anthropic-version");
        return path.startsWith("/v1/messages") || anthropicModels ? anthropic : openAi;
    }

    private static void failUnexpectedly(HttpServerRequest request, DemoDialect dialect, RuntimeException e) {
        HttpServerResponse response = request.response();
        if (response.ended() || response.closed()) {
            return;
        }
        if (response.headWritten()) {
            response.reset();
        } else {
            dialect.fail(request, DemoFailure.INTERNAL, "The demo upstream failed: " + e, null);
        }
    }
}
