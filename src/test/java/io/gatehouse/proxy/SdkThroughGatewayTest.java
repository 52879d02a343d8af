package io.gatehouse.proxy;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolUseBlock;
import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.InternalServerException;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import io.gatehouse.pipeline.Json;
import io.gatehouse.provider.demo.DemoUpstream;
import io.gatehouse.testing.FakeUpstream;
import io.gatehouse.testing.GatewayTestSupport;
import io.gatehouse.testing.TestGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The official SDKs, pointed at the gateway, against a fake provider that only accepts the gateway's
 * keys: everything an application does must work exactly as if it talked to the provider.
 */
class SdkThroughGatewayTest extends GatewayTestSupport {
    private static final String OPENAI_KEY = "sk-gateway-openai-0123456789";
    private static final String ANTHROPIC_KEY = "sk-ant-gateway-0123456789";
    private FakeUpstream openaiUpstream;
    private FakeUpstream anthropicUpstream;
    private TestGateway.Running gateway;
    private OpenAIClient openai;
    private AnthropicClient anthropic;

    @BeforeEach
    void start() {
        openaiUpstream = FakeUpstream.start(vertx, new DemoUpstream.Options(0, OPENAI_KEY));
        anthropicUpstream = FakeUpstream.start(vertx, new DemoUpstream.Options(0, ANTHROPIC_KEY));
        gateway = TestGateway.builder()
                .provider("openai", "openai", openaiUpstream.baseUrl(), OPENAI_KEY)
                .provider("anthropic", "anthropic", anthropicUpstream.baseUrl(), ANTHROPIC_KEY)
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
        openaiUpstream.close();
        anthropicUpstream.close();
    }

    private static ChatCompletionCreateParams.Builder chat(String text) {
        return ChatCompletionCreateParams.builder().model("demo-gpt").addUserMessage(text);
    }

    @Test
    void openAiChatPlain() {
        ChatCompletion completion = openai.chat().completions().create(chat("Hello gateway").build());
        assertThat(completion.choices().getFirst().message().content()).contains("Echo: Hello gateway");
        assertThat(completion.usage().orElseThrow().totalTokens()).isPositive();
    }

    @Test
    void openAiChatStreamedAddsUpToThePlainAnswerWithUsage() {
        ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
        int chunks = 0;
        try (StreamResponse<ChatCompletionChunk> stream = openai.chat().completions().createStreaming(chat("stream me please")
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
            for (ChatCompletionChunk chunk : (Iterable<ChatCompletionChunk>) stream.stream()::iterator) {
                accumulator.accumulate(chunk);
                chunks++;
            }
        }
        ChatCompletion streamed = accumulator.chatCompletion();
        assertThat(streamed.choices().getFirst().message().content()).contains("Echo: stream me please");
        assertThat(streamed.usage().orElseThrow().completionTokens()).isEqualTo(4);
        assertThat(chunks).isGreaterThan(4);
    }

    @Test
    void openAiToolCallsPlainAndStreamed() throws Exception {
        ChatCompletion plain = openai.chat().completions().create(chat("weather in Paris").addTool(weather()).build());
        ChatCompletionMessageFunctionToolCall call = plain.choices().getFirst().message().toolCalls().orElseThrow().getFirst().asFunction();
        assertThat(call.function().name()).isEqualTo("get_weather");
        assertThat(Json.MAPPER.readTree(call.function().arguments()).path("city").asText()).isEqualTo("weather in Paris");

        ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
        try (StreamResponse<ChatCompletionChunk> stream = openai.chat().completions()
                .createStreaming(chat("weather in Paris").addTool(weather()).build())) {
            stream.stream().forEach(accumulator::accumulate);
        }
        ChatCompletionMessageFunctionToolCall streamed = accumulator.chatCompletion().choices().getFirst()
                .message().toolCalls().orElseThrow().getFirst().asFunction();
        assertThat(streamed.function().name()).isEqualTo("get_weather");
        assertThat(Json.MAPPER.readTree(streamed.function().arguments()))
                .isEqualTo(Json.MAPPER.readTree(call.function().arguments()));
    }

    @Test
    void openAiEmbeddingsAndModels() {
        CreateEmbeddingResponse embeddings = openai.embeddings().create(EmbeddingCreateParams.builder()
                .model("demo-embedding").input("alpha").build());
        assertThat(embeddings.data().getFirst().embedding()).hasSize(8);
        assertThat(openai.models().list().data()).extracting(model -> model.id()).contains("demo-gpt");
    }

    @Test
    void upstream4xxAnd5xxReachTheSdkWithTheirBodies() {
        openaiUpstream.on("POST", "/v1/chat/completions", FakeUpstream.respond(400, "application/json",
                "{\"error\":{\"message\":\"max_tokens is too large\",\"type\":\"invalid_request_error\",\"param\":\"max_tokens\",\"code\":null}}",
                Map.of()));
        assertThatThrownBy(() -> openai.chat().completions().create(chat("x").build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.getMessage()).contains("max_tokens is too large");
                    assertThat(e.param()).contains("max_tokens");
                });
        openaiUpstream.on("POST", "/v1/chat/completions", FakeUpstream.respond(500, "application/json",
                "{\"error\":{\"message\":\"The server had an error\",\"type\":\"server_error\",\"param\":null,\"code\":null}}",
                Map.of()));
        assertThatThrownBy(() -> openai.chat().completions().create(chat("x").build()))
                .isInstanceOfSatisfying(InternalServerException.class, e -> assertThat(e.getMessage()).contains("The server had an error"));
    }

    @Test
    void aOneMegabyteBodyAndNonAsciiTextPassIntact() {
        String big = "x".repeat(1024 * 1024);
        ChatCompletion large = openai.chat().completions().create(chat(big).build());
        assertThat(large.choices().getFirst().message().content().orElseThrow()).isEqualTo("Echo: " + big);
        assertThat(openaiUpstream.lastRequest().body().length()).isGreaterThan(1024 * 1024);

        String text = "Grüße, 你好, こんにちは, مرحبا, 🚀👩‍💻";
        ChatCompletion unicode = openai.chat().completions().create(chat(text).build());
        assertThat(unicode.choices().getFirst().message().content().orElseThrow()).isEqualTo("Echo: " + text);
        ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
        try (StreamResponse<ChatCompletionChunk> stream = openai.chat().completions().createStreaming(chat(text).build())) {
            stream.stream().forEach(accumulator::accumulate);
        }
        assertThat(accumulator.chatCompletion().choices().getFirst().message().content().orElseThrow()).isEqualTo("Echo: " + text);
    }

    @Test
    void aStreamCutByTheUpstreamFailsInTheSdkRatherThanEndingQuietly() {
        openaiUpstream.on("POST", "/v1/chat/completions", FakeUpstream.sseThenCut(List.of(
                "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"demo-gpt\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"par\"},\"finish_reason\":null}]}\n\n"), 5));
        assertThatThrownBy(() -> {
            try (StreamResponse<ChatCompletionChunk> stream = openai.chat().completions().createStreaming(chat("x").build())) {
                stream.stream().forEach(chunk -> { });
            }
        }).hasMessageContaining("broke off the response");
    }

    @Test
    void anthropicMessagesPlainStreamedAndToolUse() {
        MessageCreateParams params = MessageCreateParams.builder().model("demo-claude").maxTokens(256)
                .addUserMessage("Bonjour, ça va?").build();
        Message plain = anthropic.messages().create(params);
        assertThat(plain.content().getFirst().text().orElseThrow().text()).isEqualTo("Echo: Bonjour, ça va?");
        assertThat(anthropicUpstream.lastRequest().header("x-api-key")).isEqualTo(ANTHROPIC_KEY);

        MessageAccumulator accumulator = MessageAccumulator.create();
        try (var stream = anthropic.messages().createStreaming(params)) {
            stream.stream().forEach(accumulator::accumulate);
        }
        assertThat(accumulator.message().content().getFirst().text().orElseThrow().text()).isEqualTo("Echo: Bonjour, ça va?");
        assertThat(accumulator.message().usage().outputTokens()).isEqualTo(plain.usage().outputTokens());

        MessageAccumulator tools = MessageAccumulator.create();
        try (var stream = anthropic.messages().createStreaming(MessageCreateParams.builder().model("demo-claude").maxTokens(256)
                .addUserMessage("weather in Paris").addTool(anthropicWeather()).build())) {
            stream.stream().forEach(tools::accumulate);
        }
        assertThat(tools.message().stopReason()).contains(StopReason.TOOL_USE);
        ToolUseBlock toolUse = tools.message().content().getFirst().toolUse().orElseThrow();
        JsonNode input = Json.MAPPER.valueToTree(toolUse._input().convert(Map.class));
        assertThat(input.path("city").asText()).isEqualTo("weather in Paris");
    }

    @Test
    void anthropicErrorsReachTheSdkInTheirOwnShape() {
        anthropicUpstream.on("POST", "/v1/messages", FakeUpstream.respond(429, "application/json",
                "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"Number of requests has exceeded your rate limit\"}}",
                Map.of("retry-after", "3")));
        assertThatThrownBy(() -> anthropic.messages().create(MessageCreateParams.builder().model("demo-claude").maxTokens(10)
                .addUserMessage("x").build()))
                .isInstanceOfSatisfying(com.anthropic.errors.RateLimitException.class,
                        e -> assertThat(e.getMessage()).contains("exceeded your rate limit"));
        assertThat(anthropic.models().list().data()).extracting(model -> model.id()).contains("demo-claude");
    }

    private static ChatCompletionFunctionTool weather() {
        return ChatCompletionFunctionTool.builder().function(FunctionDefinition.builder().name("get_weather")
                .parameters(FunctionParameters.builder()
                        .putAdditionalProperty("type", JsonValue.from("object"))
                        .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
                        .putAdditionalProperty("required", JsonValue.from(List.of("city")))
                        .build())
                .build()).build();
    }

    private static Tool anthropicWeather() {
        return Tool.builder().name("get_weather")
                .inputSchema(Tool.InputSchema.builder()
                        .properties(Tool.InputSchema.Properties.builder()
                                .putAdditionalProperty("city", com.anthropic.core.JsonValue.from(Map.of("type", "string")))
                                .build())
                        .required(List.of("city")).build())
                .build();
    }
}
