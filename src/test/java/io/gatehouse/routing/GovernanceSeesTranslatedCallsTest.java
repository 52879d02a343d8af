package io.gatehouse.routing;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.models.messages.MessageCreateParams;
import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.RateLimitException;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import io.gatehouse.config.LimitsConfig;
import io.gatehouse.events.Event;
import io.gatehouse.pipeline.Json;
import io.gatehouse.testing.GatewayTestSupport;
import io.gatehouse.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.gatehouse.routing.FakeProviders.CLIENT_KEY;
import static io.gatehouse.routing.FakeProviders.GEMINI_MODEL;
import static io.gatehouse.routing.FakeProviders.BEDROCK_MODEL;
import static io.gatehouse.routing.FakeProviders.modelOf;
import static io.gatehouse.routing.FakeProviders.providersModel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The interceptors see a translated call as one call of the client's API with the provider and model it really went
 * to, and the provider's own token counts: usage accounting, events and rate limits treat it like any other call.
 */
class GovernanceSeesTranslatedCallsTest extends GatewayTestSupport {
    private static FakeProviders providers;
    private TestGateway.Running gateway;
    private OpenAIClient openai;

    @BeforeAll
    static void startProviders() {
        providers = FakeProviders.start(vertx);
    }

    @AfterAll
    static void stopProviders() {
        providers.close();
    }

    @BeforeEach
    void forgetEarlierRequests() {
        providers.forgetRequests();
    }

    @AfterEach
    void stop() {
        if (openai != null) {
            openai.close();
        }
        if (gateway != null) {
            gateway.close();
        }
    }

    private void start(TestGateway config) {
        gateway = config.start();
        openai = OpenAIOkHttpClient.builder().baseUrl(gateway.baseUrl() + "/v1").apiKey(CLIENT_KEY).maxRetries(0).build();
    }

    @Test
    void usageIsBookedUnderTheProviderAndItsModelWithTheProvidersTokenCounts() throws Exception {
        start(providers.gateway());

        openai.chat().completions().create(chat("gemini", "Hello there").build());
        streamAll(chat("bedrock", "stream me please"));

        JsonNode usage = await().atMost(Duration.ofSeconds(5)).until(this::usage,
                report -> report.at("/totals/calls").asLong() == 2);
        assertThat(usage.at("/by_provider/gemini/calls").asLong()).isEqualTo(1);
        assertThat(usage.at("/by_provider/gemini/input_tokens").asLong()).isEqualTo(2);
        assertThat(usage.at("/by_provider/gemini/output_tokens").asLong()).isEqualTo(3);
        assertThat(usage.at("/by_provider/bedrock/input_tokens").asLong()).isEqualTo(3);
        assertThat(usage.at("/by_provider/bedrock/output_tokens").asLong()).isEqualTo(4);
        assertThat(usage.at("/totals/estimated_calls").asLong()).as("counts the provider's, not estimates").isZero();
        assertThat(usage.path("by_model").has(GEMINI_MODEL)).as(usage.toString()).isTrue();
        assertThat(usage.path("by_model").has(BEDROCK_MODEL)).as(usage.toString()).isTrue();
        assertThat(usage.path("by_model").has(modelOf("gemini"))).isFalse();
        assertThat(usage.path("by_provider").has("openai")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"anthropic", "gemini", "bedrock"})
    void aTranslatedStreamFinishesWithTheSameContentAndUsageAsThePlainCall(String provider) {
        start(providers.gateway());
        List<Event> events = new CopyOnWriteArrayList<>();
        gateway.gateway().events().subscribe(events::add);

        openai.chat().completions().create(chat(provider, "Hello there").build());
        Event plain = awaitFinish(events, 1);
        streamAll(chat(provider, "Hello there"));
        Event streamed = awaitFinish(events, 2);

        for (String attribute : List.of("llm.response.content", "llm.response.finish_reason", "llm.usage.input_tokens",
                "llm.usage.output_tokens", "llm.usage.total_tokens", "llm.model")) {
            assertThat(streamed.attributes().get(attribute)).as(attribute).isNotNull()
                    .isEqualTo(plain.attributes().get(attribute));
        }
        assertThat(plain.attributes().path("llm.model").asText()).isEqualTo(providersModel(provider));
        assertThat(plain.attributes().path("llm.usage.input_tokens").asLong()).isEqualTo(2);
        assertThat(plain.attributes().path("llm.usage.output_tokens").asLong()).isEqualTo(3);
        assertThat(plain.attributes().path("llm.response.content").toString()).contains("Echo: Hello there");
        assertThat(plain.attributes().has("llm.usage.estimated")).isFalse();
    }

    @Test
    void aRateLimitCountsUnifiedCallsToEveryProvider() {
        LimitsConfig threePerMinute = new LimitsConfig("memory", false, "unified:", null, null, null, null,
                List.of(new LimitsConfig.Constraint("all-calls", List.of(),
                        new LimitsConfig.RateLimit(3L, null, null, "minute"), null, null)));
        // A fixed clock keeps every call in one calendar minute.
        start(providers.gateway().limits(threePerMinute)
                .clock(Clock.fixed(Instant.parse("2031-03-10T10:15:20Z"), ZoneOffset.UTC)));

        for (String provider : List.of("anthropic", "gemini", "bedrock")) {
            openai.chat().completions().create(chat(provider, "Hello there").build());
            assertThat(providers.fake(provider).takeRequest()).as(provider).isNotNull();
        }
        assertThatThrownBy(() -> openai.chat().completions().create(chat("openai", "Hello there").build()))
                .isInstanceOfSatisfying(RateLimitException.class, e -> assertThat(e.statusCode()).isEqualTo(429));
        AnthropicClient anthropic = AnthropicOkHttpClient.builder().baseUrl(gateway.baseUrl()).apiKey(CLIENT_KEY)
                .maxRetries(0).build();
        try {
            assertThatThrownBy(() -> anthropic.messages().create(MessageCreateParams.builder().model(modelOf("gemini"))
                    .maxTokens(64).addUserMessage("Hello there").build()))
                    .isInstanceOf(com.anthropic.errors.RateLimitException.class);
        } finally {
            anthropic.close();
        }
        assertThat(providers.openai.takeRequest(Duration.ofMillis(200))).isNull();
        assertThat(providers.gemini.takeRequest(Duration.ofMillis(200))).isNull();
    }

    private static ChatCompletionCreateParams.Builder chat(String provider, String text) {
        return ChatCompletionCreateParams.builder().model(modelOf(provider)).addUserMessage(text);
    }

    private void streamAll(ChatCompletionCreateParams.Builder params) {
        try (StreamResponse<ChatCompletionChunk> chunks = openai.chat().completions().createStreaming(params
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
            chunks.stream().forEach(chunk -> {
            });
        }
    }

    private static Event awaitFinish(List<Event> events, int count) {
        List<Event> finishes = await().atMost(Duration.ofSeconds(5)).until(
                () -> events.stream().filter(event -> event.name().equals(Event.LLM_CALL_FINISH)).toList(),
                found -> found.size() == count);
        return finishes.getLast();
    }

    private JsonNode usage() throws Exception {
        return Json.MAPPER.readTree(getUrl(gateway.baseUrl() + "/usage").body());
    }
}
