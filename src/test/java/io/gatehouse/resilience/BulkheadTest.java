package io.gatehouse.resilience;

import io.gatehouse.testing.FakeUpstream;
import io.gatehouse.testing.TestGateway;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A cap on a provider's calls in flight, streams counting until they end. */
class BulkheadTest extends ResilienceTestSupport {
    private static final String PATH = "/v1/chat/completions";
    private static final String STREAM = "{\"model\":\"gpt-4o\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    private FakeUpstream upstream;
    private final List<HttpServerResponse> openStreams = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startUpstream() {
        upstream = FakeUpstream.start(vertx);
        // Starts a stream with one event and keeps it open until the test ends it.
        upstream.on("POST", PATH, request -> {
            HttpServerResponse response = request.response().setChunked(true)
                    .putHeader("content-type", "text/event-stream");
            response.write("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hi\"}}]}\n\n");
            openStreams.add(response);
        });
    }

    @AfterEach
    void stopUpstream() {
        upstream.close();
    }

    @Test
    void theCallBeyondMaxConcurrentIsRefusedUntilAStreamEnds() throws Exception {
        String providers = """
                - name: openai
                  type: openai
                  base_url: %s
                  bulkhead: {max_concurrent: 2}
                """.formatted(upstream.baseUrl());
        try (TestGateway.Running gateway = gateway(providers)) {
            HttpRequest stream = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + PATH))
                    .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(STREAM)).build();
            CompletableFuture<HttpResponse<String>> first = HTTP.sendAsync(stream, HttpResponse.BodyHandlers.ofString());
            CompletableFuture<HttpResponse<String>> second = HTTP.sendAsync(stream, HttpResponse.BodyHandlers.ofString());
            await().atMost(Duration.ofSeconds(10)).until(() -> openStreams.size() == 2);

            HttpResponse<String> refused = postJson(gateway.baseUrl() + PATH, STREAM, Map.of());

            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(new JsonObject(refused.body()).getJsonObject("error").getString("code"))
                    .isEqualTo("concurrency_limit_exceeded");
            assertThat(refused.headers().firstValue("retry-after")).hasValue("1");
            assertThat(upstream.requests()).hasSize(2);
            assertThat(lines(metrics(gateway), "gatehouse_bulkhead_rejections_total"))
                    .containsExactly("gatehouse_bulkhead_rejections_total{provider=\"openai\"} 1.0");

            openStreams.getFirst().end();
            CompletableFuture.anyOf(first, second).get();
            CompletableFuture<HttpResponse<String>> third = HTTP.sendAsync(stream, HttpResponse.BodyHandlers.ofString());
            await().atMost(Duration.ofSeconds(10)).until(() -> openStreams.size() == 3);
            openStreams.subList(1, 3).forEach(HttpServerResponse::end);
            assertThat(first.get().statusCode()).isEqualTo(200);
            assertThat(second.get().statusCode()).isEqualTo(200);
            assertThat(third.get().statusCode()).isEqualTo(200);
            assertThat(upstream.requests()).hasSize(3);
        }
    }

    @Test
    void aCallWaitingToRetryHoldsItsPlaceUntilItsClientLeaves() throws Exception {
        upstream.on("POST", PATH, failFirst(1, FakeUpstream.respond(503, "application/json", OVERLOADED,
                Map.of("retry-after", "30")), FakeUpstream.respond(200, "application/json", CHAT_ANSWER)));
        String providers = """
                - name: openai
                  type: openai
                  base_url: %s
                  retry: {max_attempts: 2, max_delay_ms: 60000}
                  bulkhead: {max_concurrent: 1}
                """.formatted(upstream.baseUrl());
        try (TestGateway.Running gateway = gateway(providers)) {
            HttpRequest waiting = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + PATH))
                    .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(CHAT)).build();
            CompletableFuture<HttpResponse<String>> left = HTTP.sendAsync(waiting, HttpResponse.BodyHandlers.ofString());
            await().atMost(Duration.ofSeconds(10)).until(() -> upstream.requests().size() == 1);
            assertThat(chat(gateway, "").statusCode()).isEqualTo(429);

            left.cancel(true);

            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                    .until(() -> chat(gateway, "").statusCode() == 200);
            assertThat(upstream.requests()).hasSize(2);
        }
    }
}
