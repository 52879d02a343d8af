package io.gatehouse.cost;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.pipeline.Json;
import io.gatehouse.pipeline.ProxyRequest;
import io.gatehouse.pipeline.Upstream;
import io.gatehouse.provider.WireFormats;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class CostEstimatorTest {
    private static final CostEstimator ESTIMATOR = new CostEstimator(PricingTable.bundled(), 4096);
    /** One user message "hello world": 3 + 1 + 2 + 3 reply priming = 9 tokens with either encoding. */
    private static final String HELLO = "[{\"role\":\"user\",\"content\":\"hello world\"}]";

    @Test
    void chatInputAtTheInputRateAndItsCeilingTimesChoicesAtTheOutputRate() {
        JsonNode request = json("{\"model\":\"gpt-4o-mini\",\"max_tokens\":100,\"n\":2,\"messages\":" + HELLO + "}");
        // 9 × 0.15 + 200 × 0.60 = 121.35 per million.
        assertThat(ESTIMATOR.maxCostUsd("openai", Endpoint.CHAT, "gpt-4o-mini", request)).get()
                .satisfies(cost -> assertThat(cost).isEqualByComparingTo("0.00012135"));
    }

    @Test
    void maxCompletionTokensWinsOverMaxTokens() {
        JsonNode request = json("{\"model\":\"gpt-5\",\"max_tokens\":100,\"max_completion_tokens\":1000,\"messages\":" + HELLO + "}");
        assertThat(ESTIMATOR.maxOutputTokens(Endpoint.CHAT, request)).isEqualTo(1000);
        // 9 × 1.25 + 1000 × 10 = 10,011.25 per million.
        assertThat(ESTIMATOR.maxCostUsd("openai", Endpoint.CHAT, "gpt-5", request)).get()
                .satisfies(cost -> assertThat(cost).isEqualByComparingTo("0.01001125"));
    }

    @Test
    void eachApiNamesItsCeilingItsOwnWay() {
        assertThat(ESTIMATOR.maxOutputTokens(Endpoint.RESPONSES, json("{\"max_output_tokens\":300}"))).isEqualTo(300);
        assertThat(ESTIMATOR.maxOutputTokens(Endpoint.MESSAGES, json("{\"max_tokens\":700}"))).isEqualTo(700);
        assertThat(ESTIMATOR.maxOutputTokens(Endpoint.COMPLETIONS, json("{}"))).as("the API's own default").isEqualTo(16);
        assertThat(ESTIMATOR.maxOutputTokens(Endpoint.EMBEDDINGS, json("{\"max_tokens\":5}"))).isZero();
    }

    @Test
    void withoutACeilingTheConfiguredDefaultIsAssumed() {
        assertThat(ESTIMATOR.maxOutputTokens(Endpoint.CHAT, json("{}"))).isEqualTo(4096);
        assertThat(ESTIMATOR.maxOutputTokens(Endpoint.RESPONSES, json("{}"))).isEqualTo(4096);
        assertThat(new CostEstimator(PricingTable.bundled(), 50).maxOutputTokens(Endpoint.CHAT, json("{}"))).isEqualTo(50);
    }

    @Test
    void anthropicRequest() {
        JsonNode request = json("{\"model\":\"claude-haiku-4-5\",\"max_tokens\":1000,\"messages\":" + HELLO + "}");
        // 9 (estimated) × 1 + 1000 × 5 = 5,009 per million.
        assertThat(ESTIMATOR.maxCostUsd("anthropic", Endpoint.MESSAGES, "claude-haiku-4-5", request)).get()
                .satisfies(cost -> assertThat(cost).isEqualByComparingTo("0.005009"));
    }

    @Test
    void anUnpricedModelHasNoEstimate() {
        assertThat(ESTIMATOR.maxCostUsd("openai", Endpoint.CHAT, "llama-3.1-70b",
                json("{\"max_tokens\":10,\"messages\":" + HELLO + "}"))).isEmpty();
        assertThat(ESTIMATOR.maxCostUsd("openai", Endpoint.CHAT, null, json("{}"))).isEmpty();
    }

    @Test
    void fromAProxyRequestOnAnEventLoopLargePromptsAreCountedOnAWorker() throws Exception {
        Vertx vertx = Vertx.vertx(new VertxOptions().setWorkerPoolSize(1));
        CountDownLatch release = new CountDownLatch(1);
        try {
            ProxyRequest small = request("{\"model\":\"gpt-4o\",\"max_tokens\":10,\"messages\":" + HELLO + "}");
            ProxyRequest large = request("{\"model\":\"gpt-4o\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\""
                    + "tiktoken is great! ".repeat(2000) + "\"}]}");
            assertThat(large.body().length()).isGreaterThan(TokenCounter.INLINE_COUNT_LIMIT_BYTES);
            // The one worker is busy, so whatever is counted on a worker waits for it.
            vertx.executeBlocking(() -> release.await(5, TimeUnit.SECONDS), false);

            Future<Optional<BigDecimal>> inline = ESTIMATOR.maxCostUsd(vertx, small);
            assertThat(inline.isComplete()).as("a small request is counted at once").isTrue();
            assertThat(inline.result()).isEqualTo(ESTIMATOR.maxCostUsd(small));

            Future<Optional<BigDecimal>> onWorker = ESTIMATOR.maxCostUsd(vertx, large);
            assertThat(onWorker.isComplete()).as("a large one waits for a worker").isFalse();
            release.countDown();
            long prompt = TokenCounter.countInput(Endpoint.CHAT, "gpt-4o", large.json());
            assertThat(onWorker.await()).get().satisfies(cost -> assertThat(cost)
                    .isEqualByComparingTo(BigDecimal.valueOf(prompt * 2.5 + 10 * 10).movePointLeft(6)));
        } finally {
            release.countDown();
            vertx.close().await();
        }
    }

    @Test
    void aRequestToAnApiThatIsNotMeteredHasNoEstimate() {
        assertThat(ESTIMATOR.maxCostUsd(request("/v1/models", "{\"model\":\"gpt-4o\"}"))).isEmpty();
    }

    private static ProxyRequest request(String body) {
        return request("/v1/chat/completions", body);
    }

    private static ProxyRequest request(String path, String body) {
        return ProxyRequest.builder().method(HttpMethod.POST).path(path).body(Buffer.buffer(body)).parsedJson(json(body))
                .upstream(Upstream.of("openai", WireFormats.of("openai"), URI.create("https://api.openai.com"), null,
                        Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1), 0, false, null))
                .build();
    }

    private static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
