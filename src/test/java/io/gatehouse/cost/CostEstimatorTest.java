package io.gatehouse.cost;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.pipeline.Json;
import org.junit.jupiter.api.Test;

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

    private static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
