package io.gatehouse.limit;

import io.gatehouse.config.LimitsConfig;
import io.gatehouse.testing.FakeUpstream;
import io.gatehouse.testing.GatewayTestSupport;
import io.gatehouse.testing.TestGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static io.gatehouse.limit.LimitConfigs.budget;
import static io.gatehouse.limit.LimitConfigs.limits;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Fifty streamed calls at once against a budget: reservations keep the spend within the budget however the calls
 * interleave, and each stream is charged what its usage chunk reports once it has ended.
 */
class BudgetUnderConcurrentStreamsTest extends GatewayTestSupport {
    /**
     * metered-1: output at 0.001 USD a token, input free, so a call reserves max_tokens × 0.001 USD and costs its 40
     * output tokens' worth; free-1 costs nothing, so probes of the budget leave it as it is.
     */
    private static final Map<String, LimitsConfig.Price> PRICES = Map.of(
            "metered-*", new LimitsConfig.Price(0.0, 1000.0), "free-*", new LimitsConfig.Price(0.0, 0.0));
    private static final BigDecimal RESERVATION_USD = new BigDecimal("0.1");
    private static final BigDecimal COST_USD = new BigDecimal("0.04");
    private static final BigDecimal BUDGET_USD = BigDecimal.ONE;
    private static final String CHUNK = "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"metered-1\",";

    private final SharedRedis redis = new SharedRedis();
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

    @ParameterizedTest
    @ValueSource(strings = {"redis", "memory"})
    void fiftyConcurrentStreamsNeverOvershootTheBudgetAndAreEachCharged(String backend) {
        upstream = FakeUpstream.start(vertx);
        upstream.on("POST", "/v1/chat/completions", FakeUpstream.sse(List.of(
                CHUNK + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}\n\n",
                CHUNK + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hello there\"},\"finish_reason\":null}]}\n\n",
                CHUNK + "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n",
                CHUNK + "\"choices\":[],\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":40,\"total_tokens\":50}}\n\n",
                "data: [DONE]\n\n"), 60));
        gateway = TestGateway.builder()
                .provider("openai", "openai", upstream.baseUrl(), "sk-gateway")
                .redisUrl(SharedRedis.URL)
                .limits(limits(backend, redis.prefix, false, PRICES, budget("daily", BUDGET_USD.doubleValue(), "day")))
                .clock(clock)
                .start();

        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            calls.add(chat("metered-1"));
        }
        List<HttpResponse<String>> responses = calls.stream().map(CompletableFuture::join).toList();

        List<HttpResponse<String>> admitted = responses.stream().filter(r -> r.statusCode() == 200).toList();
        List<HttpResponse<String>> refused = responses.stream().filter(r -> r.statusCode() == 429).toList();
        assertThat(admitted.size() + refused.size()).isEqualTo(50);
        assertThat(admitted.size()).as("at least the reservations that fit at once").isGreaterThanOrEqualTo(10);
        assertThat(admitted).allSatisfy(r -> assertThat(r.body()).contains("\"usage\"").endsWith("data: [DONE]\n\n"));
        assertThat(refused).isNotEmpty().allSatisfy(r -> assertThat(r.body()).contains("\"type\":\"budget_exceeded\"")
                .contains("Budget exceeded: constraint 'daily' allows $1 per day"));

        BigDecimal expected = COST_USD.multiply(BigDecimal.valueOf(admitted.size()));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(spentSoFar()).isEqualByComparingTo(expected));
        assertThat(expected).as("never more than one reservation past the budget")
                .isLessThanOrEqualTo(BUDGET_USD.add(RESERVATION_USD));
        if (backend.equals("redis")) {
            assertThat(redis.valueOfKeyContaining("daily:budget:day")).isEqualTo(expected.movePointRight(9).longValueExact());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"redis", "memory"})
    void aFailedCallGivesItsReservationBackAndACutStreamPaysForWhatItCarried(String backend) {
        upstream = FakeUpstream.start(vertx);
        gateway = TestGateway.builder()
                .provider("openai", "openai", upstream.baseUrl(), "sk-gateway")
                .redisUrl(SharedRedis.URL)
                .limits(limits(backend, redis.prefix, false, PRICES, budget("daily", BUDGET_USD.doubleValue(), "day")))
                .clock(clock)
                .start();
        upstream.on("POST", "/v1/chat/completions", FakeUpstream.respond(500, "application/json",
                "{\"error\":{\"message\":\"boom\",\"type\":\"server_error\",\"param\":null,\"code\":null}}"));
        assertThat(chat("metered-1").join().statusCode()).isEqualTo(500);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(spentSoFar()).isZero());

        upstream.on("POST", "/v1/chat/completions", FakeUpstream.sseThenCut(List.of(
                CHUNK + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}\n\n",
                CHUNK + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hello there, this is cut\"},\"finish_reason\":null}]}\n\n"),
                0));
        chat("metered-1").join();

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(spentSoFar())
                .as("the output that arrived, at four characters a token").isPositive().isLessThan(RESERVATION_USD));
    }

    /**
     * What is spent or reserved, read from the budget headers of a call that reserves nothing; they come with whatever
     * the upstream answers it.
     */
    private BigDecimal spentSoFar() {
        HttpResponse<String> probe = chat("free-1").join();
        BigDecimal remaining = new BigDecimal(probe.headers().firstValue("x-ratelimit-remaining").orElseThrow());
        assertThat(probe.headers().firstValue("x-ratelimit-limit")).hasValue("1");
        return BUDGET_USD.subtract(remaining);
    }

    private CompletableFuture<HttpResponse<String>> chat(String model) {
        String body = "{\"model\":\"" + model + "\",\"stream\":true,\"max_tokens\":100"
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}";
        return HTTP.sendAsync(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/chat/completions"))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
