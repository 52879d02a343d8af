package io.gatehouse.cost;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.events.Event;
import io.gatehouse.pipeline.CallEnd;
import io.gatehouse.pipeline.Chain;
import io.gatehouse.pipeline.Interceptor;
import io.gatehouse.pipeline.Json;
import io.gatehouse.pipeline.ProxyResponse;
import io.gatehouse.testing.FakeUpstream;
import io.gatehouse.testing.GatewayTestSupport;
import io.gatehouse.testing.TestGateway;
import io.vertx.core.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every call metered through a real gateway in front of a fake provider: plain and streamed, with and without the
 * upstream's usage, in the OpenAI and Anthropic formats; the counters on {@code /metrics}, the ledger on
 * {@code /usage}, the cost on {@code llm.call.finish}, and the call attribute other interceptors read at the end.
 */
class CostThroughGatewayTest extends GatewayTestSupport {
    private static final String HELLO = "[{\"role\":\"user\",\"content\":\"hello world\"}]";
    private static final Duration WAIT = Duration.ofSeconds(5);

    private FakeUpstream upstream;
    private TestGateway.Running gateway;
    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final List<CallCost> seenAtEnd = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        upstream = FakeUpstream.start(vertx);
        gateway = gateway(TestGateway.builder());
    }

    @AfterEach
    void stop() {
        gateway.close();
        upstream.close();
    }

    private TestGateway.Running gateway(TestGateway builder) {
        TestGateway.Running running = builder
                .provider("openai", "openai", upstream.baseUrl(), "sk-test-openai-0123456789abcdef")
                .provider("anthropic", "anthropic", upstream.baseUrl(), "sk-ant-test-0123456789abcdef")
                .defaultProvider("openai")
                .interceptor(new CostWatcher())
                .start();
        running.gateway().events().subscribe(events::add);
        return running;
    }

    @Test
    void openAiReportedUsageWithCachedTokens() throws Exception {
        upstream.on("POST", "/v1/chat/completions", FakeUpstream.respond(200, "application/json", """
                {"id":"chatcmpl-1","object":"chat.completion","model":"gpt-4o-2024-08-06",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"Hi"},"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":1000,"completion_tokens":500,"total_tokens":1500,
                          "prompt_tokens_details":{"cached_tokens":400},"completion_tokens_details":{"reasoning_tokens":0}}}"""));
        HttpResponse<String> response = postJson(gateway.baseUrl() + "/v1/chat/completions",
                "{\"model\":\"gpt-4o\",\"messages\":" + HELLO + "}", Map.of("x-gatehouse-feature", "search"));
        assertThat(response.statusCode()).isEqualTo(200);

        await().atMost(WAIT).untilAsserted(() -> assertThat(seenAtEnd).hasSize(1));
        CallCost cost = seenAtEnd.get(0);
        assertThat(cost.provider()).isEqualTo("openai");
        assertThat(cost.model()).as("the answering snapshot").isEqualTo("gpt-4o-2024-08-06");
        assertThat(cost.pricedAs()).isEqualTo("gpt-4o");
        assertThat(cost.usage()).isEqualTo(new CallUsage(1000, 400, 0, 0, 500, 0, false));
        assertThat(cost.costUsd()).isEqualByComparingTo("0.007");
        assertThat(cost.dimensions()).containsEntry("feature", "search").containsEntry("key", "key-7")
                .doesNotContainKey("model");

        String metrics = getUrl(gateway.baseUrl() + "/metrics").body();
        String labels = "model=\"gpt-4o-2024-08-06\",provider=\"openai\"";
        assertThat(metric(metrics, "gatehouse_llm_tokens_total", "kind=\"input\"," + labels)).isEqualTo(1000);
        assertThat(metric(metrics, "gatehouse_llm_tokens_total", "kind=\"cached_input\"," + labels)).isEqualTo(400);
        assertThat(metric(metrics, "gatehouse_llm_tokens_total", "kind=\"output\"," + labels)).isEqualTo(500);
        assertThat(metric(metrics, "gatehouse_llm_cost_usd_total", labels)).isEqualTo(0.007);

        JsonNode usage = usage("");
        assertThat(usage.at("/totals/calls").asLong()).isEqualTo(1);
        assertThat(usage.at("/totals/cost_usd").decimalValue()).isEqualByComparingTo("0.007");
        assertThat(usage.at("/totals/estimated_calls").asLong()).isZero();
        assertThat(usage.at("/by_provider/openai/input_tokens").asLong()).isEqualTo(1000);
        assertThat(usage.at("/by_model/gpt-4o-2024-08-06/cached_input_tokens").asLong()).isEqualTo(400);
        assertThat(usage.at("/by_feature/search/cost_usd").decimalValue()).isEqualByComparingTo("0.007");
        assertThat(usage.at("/by_key/key-7/calls").asLong()).isEqualTo(1);
        assertThat(usage.path("by_model").has("not-the-model")).isFalse();

        Event finish = awaitEvent(Event.LLM_CALL_FINISH);
        assertThat(finish.attributes().path("llm.usage.cost_usd").decimalValue()).isEqualByComparingTo("0.007");
        assertThat(finish.attributes().path("llm.usage.input_tokens").asLong()).isEqualTo(1000);
        assertThat(finish.attributes().has("llm.usage.estimated")).isFalse();
    }

    @Test
    void openAiStreamWithItsUsageChunk() throws Exception {
        upstream.on("POST", "/v1/chat/completions", FakeUpstream.sse(List.of(
                chatChunk("{\"role\":\"assistant\",\"content\":\"Hello\"}", null),
                chatChunk("{\"content\":\" there\"}", null),
                chatChunk("{}", "\"stop\""),
                "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[],"
                        + "\"usage\":{\"prompt_tokens\":20,\"completion_tokens\":7,\"total_tokens\":27}}\n\n",
                "data: [DONE]\n\n"), 0));
        postJson(gateway.baseUrl() + "/v1/chat/completions", "{\"model\":\"gpt-4o-mini\",\"stream\":true,"
                + "\"stream_options\":{\"include_usage\":true},\"messages\":" + HELLO + "}", Map.of());

        CallCost cost = awaitCost();
        assertThat(cost.usage()).isEqualTo(new CallUsage(20, 0, 0, 0, 7, 0, false));
        // 20 × 0.15 + 7 × 0.60 = 7.2 per million.
        assertThat(cost.costUsd()).isEqualByComparingTo("0.0000072");
    }

    @Test
    void openAiStreamWithoutUsageIsCountedAndFlaggedEstimated() throws Exception {
        upstream.on("POST", "/v1/chat/completions", FakeUpstream.sse(List.of(
                chatChunk("{\"role\":\"assistant\",\"content\":\"Hello\"}", null),
                chatChunk("{\"content\":\" there\"}", null),
                chatChunk("{}", "\"stop\""),
                "data: [DONE]\n\n"), 0));
        postJson(gateway.baseUrl() + "/v1/chat/completions",
                "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":" + HELLO + "}", Map.of());

        CallCost cost = awaitCost();
        long output = TokenCounter.countText("gpt-4o-mini", "Hello there");
        assertThat(cost.usage()).isEqualTo(CallUsage.counted(9, output));
        assertThat(cost.costUsd()).isEqualByComparingTo(
                PricingTable.bundled().find(null, "gpt-4o-mini").orElseThrow().price().costOf(CallUsage.counted(9, output)));
        assertThat(usage("").at("/totals/estimated_calls").asLong()).isEqualTo(1);

        Event finish = awaitEvent(Event.LLM_CALL_FINISH);
        assertThat(finish.attributes().path("llm.usage.estimated").asBoolean()).isTrue();
        assertThat(finish.attributes().path("llm.usage.input_tokens").asLong()).isEqualTo(9);
        assertThat(finish.attributes().path("llm.usage.output_tokens").asLong()).isEqualTo(output);
        assertThat(finish.attributes().path("llm.usage.cost_usd").decimalValue()).isEqualByComparingTo(cost.costUsd());
    }

    @Test
    void aLongPromptOfAStreamWithoutUsageIsCountedToo() throws Exception {
        upstream.on("POST", "/v1/chat/completions", FakeUpstream.sse(List.of(
                chatChunk("{\"role\":\"assistant\",\"content\":\"Hello\"}", "\"stop\""), "data: [DONE]\n\n"), 50));
        String request = "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\""
                + "tiktoken is great! ".repeat(1000) + "\"}]}";
        assertThat(request.length()).isGreaterThan(TokenCounter.INLINE_COUNT_LIMIT_BYTES);
        postJson(gateway.baseUrl() + "/v1/chat/completions", request, Map.of());

        long prompt = TokenCounter.countInput(Endpoint.CHAT, "gpt-4o-mini", Json.MAPPER.readTree(request));
        assertThat(awaitCost().usage()).isEqualTo(CallUsage.counted(prompt, TokenCounter.countText("gpt-4o-mini", "Hello")));
    }

    @Test
    void anthropicReportedUsageWithCacheReadsAndWrites() throws Exception {
        upstream.on("POST", "/v1/messages", FakeUpstream.respond(200, "application/json", """
                {"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929",
                 "content":[{"type":"text","text":"Hi"}],"stop_reason":"end_turn",
                 "usage":{"input_tokens":100,"cache_read_input_tokens":2000,"cache_creation_input_tokens":1000,
                          "cache_creation":{"ephemeral_5m_input_tokens":600,"ephemeral_1h_input_tokens":400},"output_tokens":300}}"""));
        postJson(gateway.baseUrl() + "/anthropic/v1/messages", "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":500,"
                + "\"messages\":" + HELLO + "}", Map.of("anthropic-version", "2023-06-01"));

        CallCost cost = awaitCost();
        assertThat(cost.provider()).isEqualTo("anthropic");
        assertThat(cost.usage()).isEqualTo(new CallUsage(3100, 2000, 1000, 400, 300, 0, false));
        assertThat(cost.costUsd()).isEqualByComparingTo("0.01005");
        String metrics = getUrl(gateway.baseUrl() + "/metrics").body();
        String labels = "model=\"claude-sonnet-4-5-20250929\",provider=\"anthropic\"";
        assertThat(metric(metrics, "gatehouse_llm_tokens_total", "kind=\"cache_write\"," + labels)).isEqualTo(1000);
        assertThat(metric(metrics, "gatehouse_llm_cost_usd_total", labels)).isEqualTo(0.01005);
        assertThat(awaitEvent(Event.LLM_CALL_FINISH).attributes().path("llm.usage.cost_usd").decimalValue())
                .isEqualByComparingTo("0.01005");
    }

    @Test
    void anthropicStreamUsesTheFinalUsage() throws Exception {
        upstream.on("POST", "/v1/messages", FakeUpstream.sse(anthropicStream(true), 0));
        postJson(gateway.baseUrl() + "/anthropic/v1/messages", "{\"model\":\"claude-haiku-4-5\",\"max_tokens\":500,"
                + "\"stream\":true,\"messages\":" + HELLO + "}", Map.of("anthropic-version", "2023-06-01"));

        CallCost cost = awaitCost();
        assertThat(cost.usage()).isEqualTo(new CallUsage(25, 0, 0, 0, 15, 0, false));
        // claude-haiku-4-5: 25 × 1 + 15 × 5 = 100 per million.
        assertThat(cost.costUsd()).isEqualByComparingTo("0.0001");
    }

    @Test
    void anthropicStreamCutShortIsChargedForWhatItGenerated() throws Exception {
        upstream.on("POST", "/v1/messages", FakeUpstream.sseThenCut(anthropicStream(false), 0));
        postJson(gateway.baseUrl() + "/anthropic/v1/messages", "{\"model\":\"claude-haiku-4-5\",\"max_tokens\":500,"
                + "\"stream\":true,\"messages\":" + HELLO + "}", Map.of("anthropic-version", "2023-06-01"));

        CallCost cost = awaitCost();
        long generated = TokenCounter.countText("claude-haiku-4-5", "Hello there, how are you doing today?");
        // message_start's usage says 1 output token; what was streamed is more, so that is charged.
        assertThat(generated).isGreaterThan(1);
        assertThat(cost.usage()).isEqualTo(new CallUsage(25, 0, 0, 0, generated, 0, true));
    }

    @Test
    void anUnpricedModelIsCountedButCostsNothingMadeUp() throws Exception {
        upstream.on("POST", "/v1/chat/completions", FakeUpstream.respond(200, "application/json", """
                {"id":"c","object":"chat.completion","model":"llama-3.1-70b",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"Hi"},"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":10,"completion_tokens":2,"total_tokens":12}}"""));
        postJson(gateway.baseUrl() + "/v1/chat/completions", "{\"model\":\"llama-3.1-70b\",\"messages\":" + HELLO + "}", Map.of());

        CallCost cost = awaitCost();
        assertThat(cost.costUsd()).isNull();
        assertThat(cost.pricedAs()).isNull();
        String labels = "model=\"llama-3.1-70b\",provider=\"openai\"";
        String metrics = getUrl(gateway.baseUrl() + "/metrics").body();
        assertThat(metric(metrics, "gatehouse_cost_unpriced_calls_total", labels)).isEqualTo(1);
        assertThat(metric(metrics, "gatehouse_llm_tokens_total", "kind=\"input\"," + labels)).isEqualTo(10);
        JsonNode usage = usage("");
        assertThat(usage.at("/totals/unpriced_calls").asLong()).isEqualTo(1);
        assertThat(usage.at("/totals/cost_usd").decimalValue()).isEqualByComparingTo("0");
        assertThat(awaitEvent(Event.LLM_CALL_FINISH).attributes().has("llm.usage.cost_usd")).isFalse();
    }

    @Test
    void failedCallsAndCallsThatAreNotLlmCallsCostNothing() throws Exception {
        upstream.on("POST", "/v1/chat/completions", FakeUpstream.respond(429, "application/json",
                "{\"error\":{\"message\":\"slow down\",\"type\":\"rate_limit_error\",\"param\":null,\"code\":null}}"));
        assertThat(postJson(gateway.baseUrl() + "/v1/chat/completions",
                "{\"model\":\"gpt-4o\",\"messages\":" + HELLO + "}", Map.of()).statusCode()).isEqualTo(429);
        getUrl(gateway.baseUrl() + "/v1/models");
        upstream.on("POST", "/v1/embeddings", FakeUpstream.respond(200, "application/json", """
                {"object":"list","model":"text-embedding-3-small","data":[{"object":"embedding","index":0,"embedding":[0.1]}],
                 "usage":{"prompt_tokens":5000,"total_tokens":5000}}"""));
        postJson(gateway.baseUrl() + "/v1/embeddings", "{\"model\":\"text-embedding-3-small\",\"input\":\"hi\"}", Map.of());

        assertThat(awaitCost().model()).isEqualTo("text-embedding-3-small");
        JsonNode usage = usage("");
        assertThat(usage.at("/totals/calls").asLong()).as("only the embeddings call was billed").isEqualTo(1);
        assertThat(usage.at("/totals/cost_usd").decimalValue()).isEqualByComparingTo("0.0001");
        assertThat(seenAtEnd).hasSize(1);
    }

    @Test
    void usageGroupedByOneDimension() throws Exception {
        upstream.on("POST", "/v1/chat/completions", FakeUpstream.respond(200, "application/json", """
                {"id":"c","object":"chat.completion","model":"gpt-4.1-mini",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"Hi"},"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":1000,"completion_tokens":1000,"total_tokens":2000}}"""));
        for (String feature : List.of("search", "search", "chat")) {
            postJson(gateway.baseUrl() + "/v1/chat/completions", "{\"model\":\"gpt-4.1-mini\",\"metadata\":{\"user_id\":\"u7\"},"
                    + "\"messages\":" + HELLO + "}", Map.of("x-gatehouse-feature", feature));
        }
        await().atMost(WAIT).untilAsserted(() -> assertThat(seenAtEnd).hasSize(3));

        JsonNode byFeature = usage("?group_by=feature");
        assertThat(byFeature.path("group_by").asText()).isEqualTo("feature");
        assertThat(byFeature.at("/groups/search/calls").asLong()).isEqualTo(2);
        // gpt-4.1-mini: 1000 × 0.40 + 1000 × 1.60 = 2,000 per million a call.
        assertThat(byFeature.at("/groups/search/cost_usd").decimalValue()).isEqualByComparingTo("0.004");
        assertThat(byFeature.at("/groups/chat/calls").asLong()).isEqualTo(1);
        assertThat(byFeature.at("/totals/cost_usd").decimalValue()).isEqualByComparingTo("0.006");
        assertThat(usage("?group_by=user").at("/groups/u7/calls").asLong()).isEqualTo(3);
        assertThat(usage("?group_by=team").path("groups").isEmpty()).as("known, not seen yet").isTrue();
    }

    @Test
    void anUnknownGroupingIsRefusedInTheOpenAiErrorShape() throws Exception {
        HttpResponse<String> response = getUrl(gateway.baseUrl() + "/usage?group_by=colour");
        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = Json.MAPPER.readTree(response.body()).path("error");
        assertThat(error.path("message").asText()).startsWith("Unknown group_by 'colour'. Known: ").contains("model", "feature");
        assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
        assertThat(error.path("param").asText()).isEqualTo("group_by");
        assertThat(error.path("code").asText()).isEqualTo("invalid_group_by");
    }

    @Test
    void switchedOffNothingIsMetered() throws Exception {
        gateway.close();
        gateway = gateway(TestGateway.builder().cost(new CostConfig(false, null, null)));
        upstream.on("POST", "/v1/chat/completions", FakeUpstream.respond(200, "application/json", """
                {"id":"c","object":"chat.completion","model":"gpt-4o",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"Hi"},"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":10,"completion_tokens":2,"total_tokens":12}}"""));
        postJson(gateway.baseUrl() + "/v1/chat/completions", "{\"model\":\"gpt-4o\",\"messages\":" + HELLO + "}", Map.of());
        Event finish = awaitEvent(Event.LLM_CALL_FINISH);

        assertThat(finish.attributes().has("llm.usage.cost_usd")).isFalse();
        assertThat(seenAtEnd).isEmpty();
        assertThat(getUrl(gateway.baseUrl() + "/metrics").body()).doesNotContain("gatehouse_llm_tokens");
        HttpResponse<String> usage = getUrl(gateway.baseUrl() + "/usage");
        assertThat(usage.statusCode()).isEqualTo(404);
        assertThat(Json.MAPPER.readTree(usage.body()).at("/error/code").asText()).isEqualTo("usage_disabled");
    }

    /** An interceptor ahead of the cost interceptor, as a budget would be: it reads the cost when the call ends. */
    private final class CostWatcher implements Interceptor {
        @Override
        public String name() {
            return "cost-watcher";
        }

        @Override
        public Future<ProxyResponse> intercept(Chain chain) {
            // As tenancy would: the key behind the call, for /usage (and a model label it may not override).
            chain.call().attribute(CostInterceptor.DIMENSIONS, Map.of("key", "key-7", "model", "not-the-model"));
            return chain.proceed(chain.request());
        }

        @Override
        public void onCallEnd(CallEnd end) {
            CallCost cost = end.call().attribute(CostInterceptor.COST);
            if (cost != null) {
                seenAtEnd.add(cost);
            }
        }
    }

    private CallCost awaitCost() {
        await().atMost(WAIT).untilAsserted(() -> assertThat(seenAtEnd).isNotEmpty());
        return seenAtEnd.get(seenAtEnd.size() - 1);
    }

    private Event awaitEvent(String name) {
        await().atMost(WAIT).untilAsserted(() -> assertThat(events).extracting(Event::name).contains(name));
        return events.stream().filter(event -> event.name().equals(name)).findFirst().orElseThrow();
    }

    private JsonNode usage(String query) throws Exception {
        HttpResponse<String> response = getUrl(gateway.baseUrl() + "/usage" + query);
        assertThat(response.statusCode()).isEqualTo(200);
        return Json.MAPPER.readTree(response.body());
    }

    /** A sample's value from Prometheus text; the labels as the registry writes them, in name order. */
    private static double metric(String scrape, String name, String labels) {
        Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(name + "{" + labels + "}") + " (\\S+)$").matcher(scrape);
        assertThat(matcher.find()).as("%s{%s} in\n%s", name, labels, scrape).isTrue();
        return Double.parseDouble(matcher.group(1));
    }

    private static String chatChunk(String delta, String finishReason) {
        return "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":"
                + "[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":" + finishReason + "}]}\n\n";
    }

    private static List<String> anthropicStream(boolean whole) {
        List<String> start = List.of(
                anthropicEvent("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\","
                        + "\"role\":\"assistant\",\"model\":\"claude-haiku-4-5-20251001\",\"content\":[],\"stop_reason\":null,"
                        + "\"usage\":{\"input_tokens\":25,\"output_tokens\":1}}}"),
                anthropicEvent("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,"
                        + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"),
                anthropicEvent("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,"
                        + "\"delta\":{\"type\":\"text_delta\",\"text\":\"Hello there, \"}}"),
                anthropicEvent("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,"
                        + "\"delta\":{\"type\":\"text_delta\",\"text\":\"how are you doing today?\"}}"));
        if (!whole) {
            return start;
        }
        return java.util.stream.Stream.concat(start.stream(), java.util.stream.Stream.of(
                anthropicEvent("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"),
                anthropicEvent("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},"
                        + "\"usage\":{\"output_tokens\":15}}"),
                anthropicEvent("message_stop", "{\"type\":\"message_stop\"}"))).toList();
    }

    private static String anthropicEvent(String type, String data) {
        return "event: " + type + "\ndata: " + data + "\n\n";
    }
}
