package io.gatehouse.resilience;

import io.gatehouse.testing.FakeUpstream;
import io.gatehouse.testing.TestGateway;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A breaker per deployment: opens after N failures, fails fast, lets a probe through after the cool-down, closes. */
class CircuitBreakerTest extends ResilienceTestSupport {
    private static final String CIRCUIT_STATE = "gatehouse_circuit_state{upstream=\"openai/0\"}";
    private FakeUpstream upstream;

    @BeforeEach
    void startUpstream() {
        upstream = FakeUpstream.start(vertx);
    }

    @AfterEach
    void stopUpstream() {
        upstream.close();
    }

    @Test
    void opensAfterThreeFailuresFailsFastThenProbesAfterTheCoolDownAndCloses() throws Exception {
        upstream.on("POST", "/v1/chat/completions", FakeUpstream.respond(500, "application/json", OVERLOADED));
        String providers = """
                - name: openai
                  type: openai
                  base_url: %s
                  circuit_breaker: {failure_threshold: 3, cool_down_ms: 500}
                """.formatted(upstream.baseUrl());
        try (TestGateway.Running gateway = gateway(providers)) {
            assertThat(chat(gateway, "").statusCode()).isEqualTo(500);
            assertThat(chat(gateway, "").statusCode()).isEqualTo(500);
            // Taken before the call whose failure opens the breaker, so the cool-down is measured from no later.
            long beforeOpening = System.nanoTime();
            assertThat(chat(gateway, "").statusCode()).isEqualTo(500);
            HttpResponse<String> refused = chat(gateway, "");

            assertThat(refused.statusCode()).isEqualTo(503);
            JsonObject error = new JsonObject(refused.body()).getJsonObject("error");
            assertThat(error.getString("code")).isEqualTo("circuit_open");
            assertThat(error.getString("message")).contains("openai").doesNotContain("Exception");
            assertThat(refused.headers().firstValue("retry-after")).hasValue("1");
            assertThat(upstream.requests()).hasSize(3);
            assertThat(lines(metrics(gateway), CIRCUIT_STATE)).containsExactly(CIRCUIT_STATE + " 1.0");

            upstream.on("POST", "/v1/chat/completions", FakeUpstream.respond(200, "application/json", CHAT_ANSWER));
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                    .until(() -> chat(gateway, "").statusCode() == 200);

            assertThat(Duration.ofNanos(System.nanoTime() - beforeOpening)).isGreaterThanOrEqualTo(Duration.ofMillis(500));
            assertThat(upstream.requests()).hasSize(4);
            assertThat(lines(metrics(gateway), CIRCUIT_STATE)).containsExactly(CIRCUIT_STATE + " 0.0");
            assertThat(chat(gateway, "").statusCode()).isEqualTo(200);
            assertThat(upstream.requests()).hasSize(5);
        }
    }

    @Test
    void anOpenBreakerAnswersInTheAnthropicShapeOnAnAnthropicProvider() throws Exception {
        String providers = """
                - name: claude
                  type: anthropic
                  base_url: http://127.0.0.1:%d
                  max_retries: 0
                  circuit_breaker: {failure_threshold: 1, cool_down_ms: 60000}
                """.formatted(FallbackTest.deadPort());
        try (TestGateway.Running gateway = gateway(providers)) {
            String message = "{\"model\":\"claude\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
            assertThat(postJson(gateway.baseUrl() + "/v1/messages", message, java.util.Map.of()).statusCode()).isEqualTo(502);
            HttpResponse<String> refused = postJson(gateway.baseUrl() + "/v1/messages", message, java.util.Map.of());

            assertThat(refused.statusCode()).isEqualTo(503);
            JsonObject body = new JsonObject(refused.body());
            assertThat(body.getString("type")).isEqualTo("error");
            assertThat(body.getJsonObject("error").getString("type")).isEqualTo("api_error");
            assertThat(Long.parseLong(refused.headers().firstValue("retry-after").orElseThrow())).isBetween(1L, 60L);
        }
    }

    @Test
    void aFailedProbeOpensTheBreakerAgain() throws Exception {
        upstream.on("POST", "/v1/chat/completions", FakeUpstream.respond(502, "application/json", OVERLOADED));
        String providers = """
                - name: openai
                  type: openai
                  base_url: %s
                  circuit_breaker: {failure_threshold: 2, cool_down_ms: 300}
                """.formatted(upstream.baseUrl());
        try (TestGateway.Running gateway = gateway(providers)) {
            assertThat(chat(gateway, "").statusCode()).isEqualTo(502);
            assertThat(chat(gateway, "").statusCode()).isEqualTo(502);
            assertThat(chat(gateway, "").statusCode()).isEqualTo(503);

            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                    .until(() -> chat(gateway, "").statusCode() == 502);

            assertThat(upstream.requests()).hasSize(3);
            assertThat(chat(gateway, "").statusCode()).isEqualTo(503);
            assertThat(upstream.requests()).hasSize(3);
        }
    }
}
