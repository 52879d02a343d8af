package io.gatehouse.routing;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolResultBlockParam;
import com.anthropic.models.messages.ToolUseBlock;
import com.anthropic.models.messages.Usage;
import io.gatehouse.pipeline.Json;
import io.gatehouse.testing.FakeUpstream;
import io.gatehouse.testing.GatewayTestSupport;
import io.gatehouse.testing.TestGateway;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import static io.gatehouse.routing.FakeProviders.CLIENT_KEY;
import static io.gatehouse.routing.FakeProviders.assertSentInTheApiOf;
import static io.gatehouse.routing.FakeProviders.modelOf;
import static io.gatehouse.routing.FakeProviders.providersModel;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Anthropic SDK's Messages API, pointed at the gateway and asking for {@code provider:model}, works against
 * OpenAI, Gemini and Bedrock as it does against Anthropic: plain, streamed (read by the SDK's accumulator) and with a tool
 * round trip in which the application sends the assistant's message back as the SDK returned it.
 */
class AnthropicSdkOnAnyProviderTest extends GatewayTestSupport {
    private static FakeProviders providers;
    private static TestGateway.Running gateway;
    private static AnthropicClient anthropic;

    @BeforeAll
    static void start() {
        providers = FakeProviders.start(vertx);
        gateway = providers.gateway().start();
        anthropic = AnthropicOkHttpClient.builder().baseUrl(gateway.baseUrl()).apiKey(CLIENT_KEY).maxRetries(0).build();
    }

    @AfterAll
    static void stop() {
        anthropic.close();
        gateway.close();
        providers.close();
    }

    @BeforeEach
    void forgetEarlierRequests() {
        providers.forgetRequests();
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "gemini", "bedrock"})
    void plainAnswer(String provider) {
        Message message = anthropic.messages().create(MessageCreateParams.builder().model(modelOf(provider))
                .maxTokens(256).addUserMessage("Hello there").build());

        assertThat(message.model().asString()).isEqualTo(providersModel(provider));
        assertThat(message.content()).hasSize(1);
        assertThat(message.content().getFirst().text().orElseThrow().text()).isEqualTo("Echo: Hello there");
        assertThat(message.stopReason()).contains(StopReason.END_TURN);
        assertUsage(message.usage(), 2, 3);
        assertSentInTheApiOf(provider, providers.fake(provider).takeRequest());
        assertThat(providers.anthropic.requests()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "gemini", "bedrock"})
    void streamedAnswerAddsUpWithItsUsage(String provider) {
        Message message = stream(MessageCreateParams.builder().model(modelOf(provider)).maxTokens(256)
                .addUserMessage("stream me please").build());

        assertThat(message.model().asString()).isEqualTo(providersModel(provider));
        assertThat(message.content().getFirst().text().orElseThrow().text()).isEqualTo("Echo: stream me please");
        assertThat(message.stopReason()).contains(StopReason.END_TURN);
        assertUsage(message.usage(), 3, 4);
        assertSentInTheApiOf(provider, providers.fake(provider).takeRequest());
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "gemini", "bedrock"})
    void toolRoundTrip(String provider) {
        toolRoundTrip(provider, params -> anthropic.messages().create(params));
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "gemini", "bedrock"})
    void streamedToolRoundTrip(String provider) {
        toolRoundTrip(provider, AnthropicSdkOnAnyProviderTest::stream);
    }

    /**
     * Gemini signs its function calls and wants the signature back; an Anthropic client keeps it in a thinking block,
     * so the signature Gemini gave, not the placeholder that skips the check, goes back to it.
     */
    @Test
    void geminiGetsItsOwnThoughtSignatureBackFromAnAnthropicClient() {
        MessageCreateParams asking = MessageCreateParams.builder().model(modelOf("gemini")).maxTokens(256)
                .addUserMessage("weather in Paris").addTool(weather()).build();
        Message calling = anthropic.messages().create(asking);
        String shown = calling.content().stream().flatMap(block -> block.thinking().stream()).findFirst()
                .orElseThrow(() -> new AssertionError("no thinking block carries the signature: " + calling.content()))
                .signature();
        assertThat(shown).startsWith("gemini:");

        anthropic.messages().create(withToolResult(asking, calling, toolUseOf(calling)));

        providers.gemini.takeRequest();
        JsonObject modelTurn = providers.gemini.takeRequest().bodyAsJson().getJsonArray("contents").getJsonObject(1);
        assertThat(modelTurn.getString("role")).isEqualTo("model");
        assertThat(modelTurn.getJsonArray("parts").getJsonObject(0).getString("thoughtSignature"))
                .isEqualTo(shown.substring("gemini:".length()));
    }

    private void toolRoundTrip(String provider, Function<MessageCreateParams, Message> call) {
        MessageCreateParams asking = MessageCreateParams.builder().model(modelOf(provider)).maxTokens(256)
                .addUserMessage("weather in Paris").addTool(weather()).build();

        Message calling = call.apply(asking);
        assertThat(calling.stopReason()).contains(StopReason.TOOL_USE);
        ToolUseBlock toolUse = toolUseOf(calling);
        assertThat(toolUse.id()).isNotBlank();
        assertThat(toolUse.name()).isEqualTo("get_weather");
        assertThat(Json.tree(toolUse._input().convert(Map.class))).isEqualTo(Json.tree(Map.of("city", "weather in Paris")));

        Message answer = call.apply(withToolResult(asking, calling, toolUse));
        assertThat(answer.content().getFirst().text().orElseThrow().text()).isEqualTo("Echo: 18 degrees and sunny");
        assertThat(answer.stopReason()).contains(StopReason.END_TURN);

        FakeUpstream fake = providers.fake(provider);
        assertSentInTheApiOf(provider, fake.takeRequest());
        FakeUpstream.RecordedRequest withResult = fake.takeRequest();
        assertSentInTheApiOf(provider, withResult);
        assertThat(withResult.bodyAsString()).contains("18 degrees and sunny");
    }

    /** The conversation so far, the assistant's message as the SDK returned it, and the tool's result. */
    private static MessageCreateParams withToolResult(MessageCreateParams asking, Message calling, ToolUseBlock toolUse) {
        return asking.toBuilder().addMessage(calling)
                .addUserMessageOfContentBlockParams(List.of(ContentBlockParam.ofToolResult(ToolResultBlockParam.builder()
                        .toolUseId(toolUse.id()).content("18 degrees and sunny").build())))
                .build();
    }

    private static ToolUseBlock toolUseOf(Message message) {
        return message.content().stream().map(ContentBlock::toolUse).flatMap(Optional::stream).findFirst()
                .orElseThrow(() -> new AssertionError("no tool use in " + message.content()));
    }

    private static Message stream(MessageCreateParams params) {
        MessageAccumulator accumulator = MessageAccumulator.create();
        try (var events = anthropic.messages().createStreaming(params)) {
            events.stream().forEach(accumulator::accumulate);
        }
        return accumulator.message();
    }

    private static void assertUsage(Usage usage, long input, long output) {
        assertThat(usage.inputTokens()).isEqualTo(input);
        assertThat(usage.outputTokens()).isEqualTo(output);
    }

    static Tool weather() {
        return Tool.builder().name("get_weather").description("The current weather in a city")
                .inputSchema(Tool.InputSchema.builder()
                        .properties(Tool.InputSchema.Properties.builder()
                                .putAdditionalProperty("city", JsonValue.from(Map.of("type", "string")))
                                .build())
                        .required(List.of("city")).build())
                .build();
    }
}
