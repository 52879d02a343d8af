package io.gatehouse.limit;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.config.LimitsConfig;
import io.gatehouse.pipeline.Json;
import io.gatehouse.testing.FakeUpstream;
import io.gatehouse.testing.GatewayTestSupport;
import io.gatehouse.testing.TestGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.gatehouse.limit.LimitConfigs.budget;
import static io.gatehouse.limit.LimitConfigs.limits;
import static io.gatehouse.limit.LimitConfigs.requests;
import static io.gatehouse.limit.LimitConfigs.tokens;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Limits on a running gateway, with each backend: windows reset, shadow mode, every route, dimensions, settlement. */
class LimitsThroughGatewayTest extends GatewayTestSupport {
    private static final String CHAT = "{\"model\":\"demo-gpt\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}";

    private final SharedRedis redis = new SharedRedis();
    /** In the future, so Redis (which expires keys by its own clock) keeps the windows these tests count in. */
    private final MovableClock clock = new MovableClock(Instant.parse("2031-03-10T10:15:20Z"));
    private FakeUpstream upstream;
    private TestGateway.Running gateway;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (upstream != null) {
            upstream.close();
        }
        redis.close();
    }

    private void start(LimitsConfig limits) {
        upstream = FakeUpstream.start(vertx);
        gateway = TestGateway.builder()
                .provider("openai", "openai", upstream.baseUrl(), "sk-gateway")
                .provider("anthropic", "anthropic", upstream.baseUrl(), "sk-ant-gateway")
                .redisUrl(SharedRedis.URL)
                .limits(limits)
                .clock(clock)
                .start();
    }

    private HttpResponse<String> post(String path, String body, Map<String, String> headers) throws Exception {
        return postJson(gateway.baseUrl() + path, body, headers);
    }

    private HttpResponse<String> chat() throws Exception {
        return post("/v1/chat/completions", CHAT, Map.of());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "redis"})
    void aRateWindowResetsAtTheNextMinute(String backend) throws Exception {
        start(limits(backend, redis.prefix, false, Map.of(), requests("three", 3, "minute")));
        for (int i = 0; i < 3; i++) {
            assertThat(chat().statusCode()).isEqualTo(200);
        }
        HttpResponse<String> refused = chat();
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("retry-after")).hasValue("40");

        clock.set(Instant.parse("2031-03-10T10:16:00Z"));

        HttpResponse<String> next = chat();
        assertThat(next.statusCode()).isEqualTo(200);
        assertThat(next.headers().firstValue("x-ratelimit-remaining")).hasValue("2");
        assertThat(next.headers().firstValue("x-ratelimit-reset")).hasValue("60");
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "redis"})
    void aBudgetResetsAtTheNextDayHoweverMuchWasSpent(String backend) throws Exception {
        // demo-gpt at SLLMP's default price: 100 output tokens reserve about 0.001 USD, so 0.0025 USD fits two calls
        // at once, and more as their settlements give back what they did not use.
        start(limits(backend, redis.prefix, false, Map.of(), budget("daily", 0.0025, "1d")));
        String call = "{\"model\":\"demo-gpt\",\"max_tokens\":100,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
        int admitted = 0;
        HttpResponse<String> last;
        do {
            last = post("/v1/chat/completions", call, Map.of());
            admitted += last.statusCode() == 200 ? 1 : 0;
        } while (last.statusCode() == 200 && admitted < 1000);
        assertThat(last.statusCode()).isEqualTo(429);
        assertThat(last.body()).contains("\"code\":\"budget_exceeded\"").contains("resets at 2031-03-11T00:00:00Z");
        assertThat(admitted).isGreaterThanOrEqualTo(2);

        clock.set(Instant.parse("2031-03-11T00:00:01Z"));

        assertThat(post("/v1/chat/completions", call, Map.of()).statusCode()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "redis"})
    void shadowModeRefusesNothingAndCountsWhatItWouldHaveRefused(String backend) throws Exception {
        start(limits(backend, redis.prefix, true, Map.of(), requests("tight", 2, "minute")));
        for (int i = 0; i < 5; i++) {
            assertThat(chat().statusCode()).isEqualTo(200);
        }
        assertThat(upstream.requests()).hasSize(5);
        String metrics = get("/metrics").body();
        assertThat(metrics).contains("gatehouse_limit_shadow_refusals_total{constraint=\"tight\"} 3.0")
                .doesNotContain("gatehouse_limit_refusals_total{");
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "redis"})
    void everyRouteIsCountedPassthroughAndAnthropicToo(String backend) throws Exception {
        start(limits(backend, redis.prefix, false, Map.of(), requests("all-routes", 3, "minute")));
        assertThat(get("/v1/models").statusCode()).isEqualTo(200);
        assertThat(post("/v1/embeddings", "{\"model\":\"demo-embed\",\"input\":\"hi\"}", Map.of()).statusCode()).isEqualTo(200);
        String message = "{\"model\":\"demo-claude\",\"max_tokens\":50,\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}";
        assertThat(post("/anthropic/v1/messages", message, Map.of("anthropic-version", "2023-06-01")).statusCode()).isEqualTo(200);

        HttpResponse<String> refused = post("/anthropic/v1/messages", message, Map.of("anthropic-version", "2023-06-01"));

        assertThat(refused.statusCode()).isEqualTo(429);
        JsonNode error = Json.MAPPER.readTree(refused.body());
        assertThat(error.path("type").asText()).isEqualTo("error");
        assertThat(error.at("/error/type").asText()).isEqualTo("rate_limit_error");
        assertThat(error.at("/error/message").asText()).startsWith("Rate limit exceeded: constraint 'all-routes' allows 3 requests per minute");
        assertThat(refused.headers().firstValue("x-ratelimit-limit-requests")).as("OpenAI's names on OpenAI routes only").isEmpty();
        HttpResponse<String> openAi = get("/v1/models");
        assertThat(openAi.statusCode()).isEqualTo(429);
        assertThat(openAi.headers().firstValue("x-ratelimit-limit-requests")).hasValue("3");
        assertThat(openAi.headers().firstValue("x-ratelimit-remaining-requests")).hasValue("0");
        assertThat(openAi.headers().firstValue("x-ratelimit-reset-requests")).hasValue("40s");
        assertThat(get("/metrics").body()).contains(
                "gatehouse_limit_refusals_total{constraint=\"all-routes\",kind=\"requests\"} 2.0");
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "redis"})
    void eachUserHasCountersOfTheirOwnAndConstraintsNeverShareOne(String backend) throws Exception {
        start(limits(backend, redis.prefix, false, Map.of(), requests("user-loose", 5, "minute", "user"),
                requests("user-tight", 2, "minute", "user")));
        HttpResponse<String> first = post("/v1/chat/completions", CHAT, Map.of("x-gatehouse-user", "alice"));
        assertThat(first.headers().firstValue("x-ratelimit-remaining")).as("one call counted once per constraint").hasValue("1");
        String fromMetadata = "{\"model\":\"demo-gpt\",\"metadata\":{\"user_id\":\"alice\"},\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
        assertThat(post("/v1/chat/completions", fromMetadata, Map.of()).statusCode()).isEqualTo(200);

        HttpResponse<String> refused = post("/v1/chat/completions", CHAT, Map.of("x-gatehouse-user", "alice"));

        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.body()).contains("constraint 'user-tight' allows 2 requests per minute for user=alice");
        assertThat(post("/v1/chat/completions", CHAT, Map.of("x-gatehouse-user", "bob")).statusCode()).isEqualTo(200);
        assertThat(chat().statusCode()).as("no user: counted as unknown").isEqualTo(200);
        assertThat(upstream.requests()).allSatisfy(request -> assertThat(request.header("x-gatehouse-user")).isNull());
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "redis"})
    void aTokenLimitIsSettledWithTheTokensTheCallReallyUsed(String backend) throws Exception {
        start(limits(backend, redis.prefix, false, Map.of(), tokens("tpm", 10_000, "minute")));
        String call = "{\"model\":\"demo-gpt\",\"max_tokens\":3000,\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}";
        HttpResponse<String> first = post("/v1/chat/completions", call, Map.of());
        long reserved = 10_000 - Long.parseLong(first.headers().firstValue("x-ratelimit-remaining").orElseThrow());
        long used = Json.MAPPER.readTree(first.body()).at("/usage/total_tokens").asLong();
        assertThat(reserved).isGreaterThan(3000);
        assertThat(used).isPositive().isLessThan(reserved);

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            HttpResponse<String> probe = post("/v1/chat/completions", call.replace("3000", "0"), Map.of());
            long remaining = Long.parseLong(probe.headers().firstValue("x-ratelimit-remaining").orElseThrow());
            long probeReserved = reserved - 3000;
            assertThat(remaining).isEqualTo(10_000 - used - probeReserved);
        });
    }

    @Test
    void manyCallsShareTheirEventLoopsConnectionToRedis() throws Exception {
        // A connection per call would run out of the pool's 128 long before 300, and deny would show it as 503s.
        start(new LimitsConfig("redis", false, redis.prefix, "deny", null, null, Map.of(),
                List.of(requests("many", 1000, "minute"))));
        for (int i = 0; i < 300; i++) {
            assertThat(get("/v1/models").statusCode()).isEqualTo(200);
        }
        assertThat(redis.valueOfKeyContaining("many:requests:minute")).isEqualTo(300);
    }

    @Test
    void aRedisThatCannotBeReachedStopsTheGatewayFromStarting() {
        upstream = FakeUpstream.start(vertx);
        TestGateway unreachable = TestGateway.builder()
                .provider("openai", "openai", upstream.baseUrl(), "sk-gateway")
                .redisUrl("redis://127.0.0.1:1")
                .limits(limits("redis", redis.prefix, false, Map.of(), requests("any", 1, "minute")));

        assertThatThrownBy(unreachable::start).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("limits: cannot reach Redis at 127.0.0.1:1");
    }
}
