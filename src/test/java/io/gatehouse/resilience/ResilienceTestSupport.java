package io.gatehouse.resilience;

import io.gatehouse.config.ConfigLoader;
import io.gatehouse.config.ConfigView;
import io.gatehouse.pipeline.Interceptor;
import io.gatehouse.testing.GatewayTestSupport;
import io.gatehouse.testing.TestGateway;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** Gateways whose providers are written in YAML, as users write them, and upstream behaviours that fail on cue. */
abstract class ResilienceTestSupport extends GatewayTestSupport {
    static final String CHAT = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    static final String CHAT_ANSWER = """
            {"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"gpt-4o","choices":[{"index":0,\
            "message":{"role":"assistant","content":"hello"},"finish_reason":"stop"}],\
            "usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}}""";
    static final String OVERLOADED = "{\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}";

    /** A gateway serving the providers of this YAML list (the {@code providers:} block), plus interceptors added last. */
    static TestGateway.Running gateway(String providersYaml, Interceptor... interceptors) {
        TestGateway builder = TestGateway.builder();
        ConfigView.providers(load("providers:\n" + providersYaml.indent(2))).forEach(builder::provider);
        for (Interceptor interceptor : interceptors) {
            builder.interceptor(interceptor);
        }
        return builder.start();
    }

    static io.gatehouse.config.GatehouseConfig load(String yaml) {
        try {
            Path file = Files.createTempFile("gatehouse", ".yaml");
            try {
                Files.writeString(file, yaml);
                return ConfigLoader.load(file, Map.of(), Map.of());
            } finally {
                Files.delete(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Answers the first {@code failures} calls with {@code failure}, every later one with {@code success}. */
    static Handler<HttpServerRequest> failFirst(int failures, Handler<HttpServerRequest> failure,
                                                Handler<HttpServerRequest> success) {
        AtomicInteger calls = new AtomicInteger();
        return request -> (calls.getAndIncrement() < failures ? failure : success).handle(request);
    }

    /** Reads the request, then closes the connection without a word. */
    static Handler<HttpServerRequest> dropConnection() {
        return request -> request.body().onComplete(read -> request.connection().close());
    }

    static HttpResponse<String> chat(TestGateway.Running gateway, String prefix) throws Exception {
        return postJson(gateway.baseUrl() + prefix + "/v1/chat/completions", CHAT, Map.of());
    }

    static String metrics(TestGateway.Running gateway) throws Exception {
        return getUrl(gateway.baseUrl() + "/metrics").body();
    }

    static List<String> lines(String text, String prefix) {
        return text.lines().filter(line -> line.startsWith(prefix)).toList();
    }
}
