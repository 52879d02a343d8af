package io.gatehouse.cost;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.pipeline.Json;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.assertj.core.api.Assertions.assertThat;

/** Usage as the providers report it, and what it costs at the bundled rates, worked out by hand. */
class CostArithmeticTest {
    private static final PricingTable PRICES = PricingTable.bundled();

    @Test
    void openAiCachedPromptTokensAreBilledAtTheCachedRate() {
        CallUsage usage = ReportedUsage.of(Endpoint.CHAT, json("""
                {"usage":{"prompt_tokens":1000,"completion_tokens":500,"total_tokens":1500,
                  "prompt_tokens_details":{"cached_tokens":400},"completion_tokens_details":{"reasoning_tokens":0}}}"""));
        assertThat(usage).isEqualTo(new CallUsage(1000, 400, 0, 0, 500, 0, false));
        // gpt-4o: 600 × 2.50 + 400 × 1.25 + 500 × 10.00 = 7,000 per million.
        assertThat(cost("gpt-4o-2024-08-06", usage)).isEqualByComparingTo("0.007");
        // gpt-5-nano: 600 × 0.05 + 400 × 0.005 + 500 × 0.40 = 232 per million.
        assertThat(cost("gpt-5-nano", usage)).isEqualByComparingTo("0.000232");
    }

    @Test
    void reasoningTokensAreBilledAsOutput() {
        CallUsage usage = ReportedUsage.of(Endpoint.RESPONSES, json("""
                {"usage":{"input_tokens":2000,"output_tokens":1500,"total_tokens":3500,
                  "input_tokens_details":{"cached_tokens":1024},"output_tokens_details":{"reasoning_tokens":1200}}}"""));
        assertThat(usage).isEqualTo(new CallUsage(2000, 1024, 0, 0, 1500, 1200, false));
        // gpt-5: 976 × 1.25 + 1024 × 0.125 + 1500 × 10 = 1,220 + 128 + 15,000.
        assertThat(cost("gpt-5", usage)).isEqualByComparingTo("0.016348");
        // o3: 976 × 2 + 1024 × 0.5 + 1500 × 8 = 1,952 + 512 + 12,000.
        assertThat(cost("o3", usage)).isEqualByComparingTo("0.014464");
    }

    @Test
    void anthropicCacheReadsAndBothKindsOfCacheWrites() {
        CallUsage usage = ReportedUsage.of(Endpoint.MESSAGES, json("""
                {"usage":{"input_tokens":100,"cache_read_input_tokens":2000,"cache_creation_input_tokens":1000,
                  "cache_creation":{"ephemeral_5m_input_tokens":600,"ephemeral_1h_input_tokens":400},"output_tokens":300}}"""));
        assertThat(usage).isEqualTo(new CallUsage(3100, 2000, 1000, 400, 300, 0, false));
        assertThat(usage.uncachedInputTokens()).isEqualTo(100);
        // claude-sonnet-4-5: 100 × 3 + 2000 × 0.30 + 600 × 3.75 + 400 × 6 + 300 × 15 = 300 + 600 + 2,250 + 2,400 + 4,500.
        assertThat(cost("claude-sonnet-4-5-20250929", usage)).isEqualByComparingTo("0.01005");
        // claude-haiku-4-5: 100 × 1 + 2000 × 0.10 + 600 × 1.25 + 400 × 2 + 300 × 5 = 100 + 200 + 750 + 800 + 1,500.
        assertThat(cost("claude-haiku-4-5", usage)).isEqualByComparingTo("0.00335");
    }

    @Test
    void anthropicWithoutCacheFieldsIsPlainInputAndOutput() {
        CallUsage usage = ReportedUsage.of(Endpoint.MESSAGES, json("{\"usage\":{\"input_tokens\":1000,\"output_tokens\":1000}}"));
        // claude-opus-4-1: 1000 × 15 + 1000 × 75.
        assertThat(cost("claude-opus-4-1-20250805", usage)).isEqualByComparingTo("0.09");
    }

    @Test
    void longPromptsUseTheLongContextRates() {
        CallUsage longPrompt = new CallUsage(250_000, 0, 0, 0, 1_000, 0, false);
        // claude-sonnet-4-5 beyond 200k: 250,000 × 6 + 1,000 × 22.50.
        assertThat(cost("claude-sonnet-4-5", longPrompt)).isEqualByComparingTo("1.5225");
        // gemini-2.5-pro beyond 200k: 250,000 × 2.50 + 1,000 × 15.
        assertThat(cost("gemini-2.5-pro", longPrompt)).isEqualByComparingTo("0.64");
        CallUsage atThreshold = new CallUsage(200_000, 0, 0, 0, 1_000, 0, false);
        // Exactly 200k is still the base rate: 200,000 × 1.25 + 1,000 × 10.
        assertThat(cost("gemini-2.5-pro", atThreshold)).isEqualByComparingTo("0.26");
    }

    @Test
    void geminiThroughItsOpenAiCompatibleApi() {
        CallUsage usage = ReportedUsage.of(Endpoint.CHAT, json("""
                {"usage":{"prompt_tokens":10000,"completion_tokens":1000,"prompt_tokens_details":{"cached_tokens":2000}}}"""));
        // gemini-2.5-flash: 8,000 × 0.30 + 2,000 × 0.03 + 1,000 × 2.50 = 2,400 + 60 + 2,500.
        assertThat(cost("gemini-2.5-flash", usage)).isEqualByComparingTo("0.00496");
        // gemini-2.0-flash-lite has no cache discount: 10,000 × 0.075 + 1,000 × 0.30.
        assertThat(cost("gemini-2.0-flash-lite", usage)).isEqualByComparingTo("0.00105");
    }

    @Test
    void embeddingsBillTheirInputOnly() {
        CallUsage usage = ReportedUsage.of(Endpoint.EMBEDDINGS, json("{\"usage\":{\"prompt_tokens\":5000,\"total_tokens\":5000}}"));
        assertThat(usage).isEqualTo(new CallUsage(5000, 0, 0, 0, 0, 0, false));
        assertThat(cost("text-embedding-3-small", usage)).isEqualByComparingTo("0.0001");
    }

    @Test
    void theSmallestCostsAreKeptExactly() {
        // One cached gpt-5-nano token: 0.005 per million.
        assertThat(cost("gpt-5-nano", new CallUsage(1, 1, 0, 0, 0, 0, false))).isEqualByComparingTo("0.000000005");
        assertThat(cost("gpt-4o", new CallUsage(0, 0, 0, 0, 0, 0, false))).isEqualByComparingTo(BigDecimal.ZERO);
    }

    @Test
    void noUsageObjectOrNoCountsIsNoReportedUsage() {
        assertThat(ReportedUsage.of(Endpoint.CHAT, json("{\"choices\":[]}"))).isNull();
        assertThat(ReportedUsage.of(Endpoint.CHAT, json("{\"usage\":null}"))).isNull();
        assertThat(ReportedUsage.of(Endpoint.MESSAGES, json("{\"usage\":{}}"))).isNull();
        assertThat(ReportedUsage.of(Endpoint.CHAT, null)).isNull();
    }

    private static BigDecimal cost(String model, CallUsage usage) {
        return PRICES.find(null, model).orElseThrow().price().costOf(usage);
    }

    private static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
