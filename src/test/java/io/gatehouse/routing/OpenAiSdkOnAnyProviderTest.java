package io.gatehouse.routing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionMessage;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import com.openai.models.completions.CompletionUsage;
import io.gatehouse.pipeline.Json;
import io.gatehouse.testing.FakeUpstream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static io.gatehouse.routing.FakeProviders.assertSentInTheApiOf;
import static io.gatehouse.routing.FakeProviders.modelOf;
import static io.gatehouse.routing.FakeProviders.providersModel;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenAI SDK's chat completions, pointed at the gateway and asking for {@code provider:model}, work against
 * Anthropic, Gemini and Bedrock as they do against OpenAI: plain, streamed and with a tool round trip, each call
 * reaching the provider in its own API with the gateway's credential.
 *
 * <p>Every fake echoes the user's text and counts a token per word, so the answers and usage are the same for all.
 */
class OpenAiSdkOnAnyProviderTest extends OpenAiSdkOnFakeProvidersSupport {
    @ParameterizedTest
    @ValueSource(strings = {"anthropic", "gemini", "bedrock"})
    void plainAnswer(String provider) {
        ChatCompletion completion = openai.chat().completions().create(ChatCompletionCreateParams.builder()
                .model(modelOf(provider)).addUserMessage("Hello there").build());

        assertThat(completion.model()).isEqualTo(providersModel(provider));
        ChatCompletion.Choice choice = completion.choices().getFirst();
        assertThat(choice.message().content()).contains("Echo: Hello there");
        assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        assertUsage(completion.usage().orElseThrow(), 2, 3);
        assertSentInTheApiOf(provider, providers.fake(provider).takeRequest());
        assertThat(providers.openai.requests()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"anthropic", "gemini", "bedrock"})
    void streamedAnswerAddsUpWithItsUsage(String provider) {
        ChatCompletion streamed = stream(ChatCompletionCreateParams.builder().model(modelOf(provider))
                .addUserMessage("stream me please"));

        assertThat(streamed.model()).isEqualTo(providersModel(provider));
        ChatCompletion.Choice choice = streamed.choices().getFirst();
        assertThat(choice.message().content()).contains("Echo: stream me please");
        assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        assertUsage(streamed.usage().orElseThrow(), 3, 4);
        FakeUpstream.RecordedRequest sent = providers.fake(provider).takeRequest();
        assertSentInTheApiOf(provider, sent);
        switch (provider) {
            case "gemini" -> assertThat(sent.path()).endsWith(":streamGenerateContent");
            case "bedrock" -> {
                assertThat(sent.path()).endsWith("/converse-stream");
                // Bedrock's stream names no response: its x-amzn-RequestId does, a new one for each answer.
                assertThat(streamed.id()).startsWith("req-").isNotEqualTo(stream(ChatCompletionCreateParams.builder()
                        .model(modelOf(provider)).addUserMessage("again")).id());
            }
            default -> assertThat(sent.bodyAsJson().getBoolean("stream")).isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"anthropic", "gemini", "bedrock"})
    void toolRoundTrip(String provider) {
        toolRoundTrip(provider, params -> openai.chat().completions().create(params));
    }

    @ParameterizedTest
    @ValueSource(strings = {"anthropic", "gemini", "bedrock"})
    void streamedToolRoundTrip(String provider) {
        toolRoundTrip(provider, params -> stream(params.toBuilder()));
    }

    /**
     * The model calls get_weather; the application runs it and sends the result back with the conversation so far,
     * as OpenAI documents; the model's final answer uses the result.
     */
    private void toolRoundTrip(String provider, Function<ChatCompletionCreateParams, ChatCompletion> call) {
        ChatCompletionCreateParams asking = ChatCompletionCreateParams.builder().model(modelOf(provider))
                .addUserMessage("weather in Paris").addTool(weather()).build();

        ChatCompletion.Choice calling = call.apply(asking).choices().getFirst();
        assertThat(calling.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
        ChatCompletionMessage assistant = calling.message();
        ChatCompletionMessageFunctionToolCall toolCall = assistant.toolCalls().orElseThrow().getFirst().asFunction();
        assertThat(toolCall.id()).isNotBlank();
        assertThat(toolCall.function().name()).isEqualTo("get_weather");
        assertThat(json(toolCall.function().arguments()))
                .isEqualTo(Json.MAPPER.createObjectNode().put("city", "weather in Paris"));

        ChatCompletion answered = call.apply(asking.toBuilder().addMessage(assistant)
                .addMessage(ChatCompletionToolMessageParam.builder().toolCallId(toolCall.id())
                        .content("18 degrees and sunny").build())
                .build());
        ChatCompletion.Choice answer = answered.choices().getFirst();
        assertThat(answer.message().content()).contains("Echo: 18 degrees and sunny");
        assertThat(answer.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);

        FakeUpstream fake = providers.fake(provider);
        assertSentInTheApiOf(provider, fake.takeRequest());
        FakeUpstream.RecordedRequest withResult = fake.takeRequest();
        assertSentInTheApiOf(provider, withResult);
        assertThat(withResult.bodyAsString()).contains("18 degrees and sunny");
    }

    private static ChatCompletion stream(ChatCompletionCreateParams.Builder params) {
        ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
        try (StreamResponse<ChatCompletionChunk> chunks = openai.chat().completions().createStreaming(params
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
            chunks.stream().forEach(accumulator::accumulate);
        }
        return accumulator.chatCompletion();
    }

    private static void assertUsage(CompletionUsage usage, long prompt, long completion) {
        assertThat(usage.promptTokens()).isEqualTo(prompt);
        assertThat(usage.completionTokens()).isEqualTo(completion);
        assertThat(usage.totalTokens()).isEqualTo(prompt + completion);
    }

    private static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    static ChatCompletionFunctionTool weather() {
        return ChatCompletionFunctionTool.builder().function(FunctionDefinition.builder().name("get_weather")
                .description("The current weather in a city")
                .parameters(FunctionParameters.builder()
                        .putAdditionalProperty("type", JsonValue.from("object"))
                        .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
                        .putAdditionalProperty("required", JsonValue.from(List.of("city")))
                        .build())
                .build()).build();
    }
}
