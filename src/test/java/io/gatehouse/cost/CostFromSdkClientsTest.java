package io.gatehouse.cost;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.completions.CompletionUsage;
import io.gatehouse.pipeline.CallEnd;
import io.gatehouse.pipeline.Chain;
import io.gatehouse.pipeline.Interceptor;
import io.gatehouse.pipeline.ProxyResponse;
import io.gatehouse.provider.demo.DemoUpstream;
import io.gatehouse.testing.FakeUpstream;
import io.gatehouse.testing.GatewayTestSupport;
import io.gatehouse.testing.TestGateway;
import io.vertx.core.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The official SDKs through the gateway: what the gateway bills is exactly the usage the client was told. */
class CostFromSdkClientsTest extends GatewayTestSupport {
    private static final PricingTable PRICES = PricingTable.bundled();

    private FakeUpstream upstream;
    private TestGateway.Running gateway;
    private OpenAIClient openai;
    private AnthropicClient anthropic;
    private final List<CallCost> costs = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        upstream = FakeUpstream.start(vertx, new DemoUpstream.Options(0, null));
        gateway = TestGateway.builder()
                .provider("openai", "openai", upstream.baseUrl(), "sk-test-openai-0123456789abcdef")
                .provider("anthropic", "anthropic", upstream.baseUrl(), "sk-ant-test-0123456789abcdef")
                .interceptor(new Interceptor() {
                    @Override
                    public String name() {
                        return "cost-reader";
                    }

                    @Override
                    public Future<ProxyResponse> intercept(Chain chain) {
                        return chain.proceed(chain.request());
                    }

                    @Override
                    public void onCallEnd(CallEnd end) {
                        CallCost cost = end.call().attribute(CostInterceptor.COST);
                        if (cost != null) {
                            costs.add(cost);
                        }
                    }
                })
                .start();
        openai = OpenAIOkHttpClient.builder().baseUrl(gateway.baseUrl() + "/v1").apiKey("client-placeholder")
                .maxRetries(0).build();
        anthropic = AnthropicOkHttpClient.builder().baseUrl(gateway.baseUrl() + "/anthropic").apiKey("client-placeholder")
                .maxRetries(0).build();
    }

    @AfterEach
    void stop() {
        openai.close();
        anthropic.close();
        gateway.close();
        upstream.close();
    }

    @Test
    void openAiStreamWithUsage() {
        ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
        try (StreamResponse<ChatCompletionChunk> stream = openai.chat().completions().createStreaming(
                ChatCompletionCreateParams.builder().model("gpt-4.1-mini").addUserMessage("price this stream")
                        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
            stream.stream().forEach(accumulator::accumulate);
        }
        CompletionUsage told = accumulator.chatCompletion().usage().orElseThrow();

        CallCost cost = awaitCost();
        assertThat(cost.usage().estimated()).isFalse();
        assertThat(cost.usage().inputTokens()).isEqualTo(told.promptTokens());
        assertThat(cost.usage().outputTokens()).isEqualTo(told.completionTokens());
        assertThat(cost.costUsd()).isEqualByComparingTo(price("gpt-4.1-mini").costOf(cost.usage()));
        assertThat(cost.costUsd()).isPositive();
    }

    @Test
    void anthropicPlainAndStreamed() {
        MessageCreateParams params = MessageCreateParams.builder().model("claude-haiku-4-5").maxTokens(256)
                .addUserMessage("Bonjour, ça va?").build();
        Message plain = anthropic.messages().create(params);
        CallCost plainCost = awaitCost();
        assertThat(plainCost.usage().inputTokens()).isEqualTo(plain.usage().inputTokens());
        assertThat(plainCost.usage().outputTokens()).isEqualTo(plain.usage().outputTokens());

        MessageAccumulator accumulator = MessageAccumulator.create();
        try (var stream = anthropic.messages().createStreaming(params)) {
            stream.stream().forEach(accumulator::accumulate);
        }
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(costs).hasSize(2));
        CallCost streamedCost = costs.get(1);
        assertThat(streamedCost.usage()).isEqualTo(plainCost.usage());
        assertThat(streamedCost.costUsd()).isEqualByComparingTo(price("claude-haiku-4-5").costOf(plainCost.usage()));
        assertThat(accumulator.message().usage().outputTokens()).isEqualTo(streamedCost.usage().outputTokens());
    }

    private CallCost awaitCost() {
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(costs).isNotEmpty());
        return costs.get(costs.size() - 1);
    }

    private static ModelPrice price(String model) {
        return PRICES.find(null, model).orElseThrow().price();
    }
}
