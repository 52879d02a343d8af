package io.gatehouse.events;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolUseBlock;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.completions.CompletionUsage;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import io.gatehouse.provider.demo.DemoUpstream;
import io.gatehouse.testing.FakeUpstream;
import io.gatehouse.testing.GatewayTestSupport;
import io.gatehouse.testing.TestGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.gatehouse.events.EventCapture.json;
import static io.gatehouse.events.EventCapture.named;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The official SDKs as clients: what an application received and what the events say it received agree, for
 * plain and streamed calls with tool use in each vendor's API.
 */
class EventsFromSdkClientsTest extends GatewayTestSupport {
    private static final String KEY = "sk-upstream-sdk-0123456789abcdef";
    private FakeUpstream upstream;
    private TestGateway.Running gateway;
    private EventCapture events;
    private OpenAIClient openai;
    private AnthropicClient anthropic;

    @BeforeEach
    void start() {
        upstream = FakeUpstream.start(vertx, new DemoUpstream.Options(0, KEY));
        gateway = TestGateway.builder().provider("openai", "openai", upstream.baseUrl(), KEY)
                .provider("anthropic", "anthropic", upstream.baseUrl(), KEY).start();
        events = EventCapture.on(gateway);
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
    void openAiChatStreamedWithAToolCall() throws Exception {
        ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
        try (StreamResponse<ChatCompletionChunk> stream = openai.chat().completions().createStreaming(
                ChatCompletionCreateParams.builder().model("demo-gpt").addUserMessage("weather in Paris").addTool(weather())
                        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
            stream.stream().forEach(accumulator::accumulate);
        }
        ChatCompletion received = accumulator.chatCompletion();
        ChatCompletionMessageFunctionToolCall call = received.choices().getFirst().message().toolCalls().orElseThrow()
                .getFirst().asFunction();
        CompletionUsage usage = received.usage().orElseThrow();

        List<Event> emitted = events.awaitNames(Event.SESSION_START, Event.LLM_CALL_START, Event.LLM_CALL_FINISH,
                Event.TOOL_EXECUTION);
        Event finish = named(emitted, Event.LLM_CALL_FINISH);
        assertThat(finish.attributes().path("llm.usage.input_tokens").asLong()).isEqualTo(usage.promptTokens());
        assertThat(finish.attributes().path("llm.usage.output_tokens").asLong()).isEqualTo(usage.completionTokens());
        assertThat(finish.attributes().path("llm.usage.total_tokens").asLong()).isEqualTo(usage.totalTokens());
        assertThat(finish.attributes().path("llm.response.finish_reason").asText()).isEqualTo("tool_calls");
        Event tool = named(emitted, Event.TOOL_EXECUTION);
        assertThat(tool.attributes().path("tool.name").asText()).isEqualTo("get_weather");
        assertThat(tool.attributes().path("tool.call_id").asText()).isEqualTo(call.id());
        assertThat(tool.attributes().path("tool.params")).isEqualTo(json(call.function().arguments()));
    }

    @Test
    void openAiResponsesPlain() {
        Response received = openai.responses().create(ResponseCreateParams.builder().model("demo-gpt")
                .input("Hello from the SDK").build());

        Event finish = named(events.awaitNames(Event.SESSION_START, Event.LLM_CALL_START, Event.LLM_CALL_FINISH),
                Event.LLM_CALL_FINISH);
        assertThat(finish.attributes().path("llm.vendor").asText()).isEqualTo("openai");
        assertThat(finish.attributes().path("llm.usage.input_tokens").asLong())
                .isEqualTo(received.usage().orElseThrow().inputTokens());
        assertThat(finish.attributes().path("llm.usage.output_tokens").asLong())
                .isEqualTo(received.usage().orElseThrow().outputTokens());
        String text = received.output().getFirst().asMessage().content().getFirst().asOutputText().text();
        assertThat(finish.attributes().path("llm.response.content").path(0).path("content").path(0).path("text").asText())
                .isEqualTo(text);
    }

    @Test
    void anthropicPlainAndStreamedToolUseReportTheSame() {
        MessageCreateParams params = MessageCreateParams.builder().model("demo-claude").maxTokens(256)
                .addUserMessage("weather in Paris").addTool(anthropicWeather()).build();
        Message plain = anthropic.messages().create(params);
        List<Event> fromPlain = events.awaitNames(Event.SESSION_START, Event.LLM_CALL_START, Event.LLM_CALL_FINISH,
                Event.TOOL_EXECUTION);

        MessageAccumulator accumulator = MessageAccumulator.create();
        try (var stream = anthropic.messages().createStreaming(params)) {
            stream.stream().forEach(accumulator::accumulate);
        }
        List<Event> fromStream = events.awaitNamesFrom(fromPlain.size(), Event.SESSION_START, Event.LLM_CALL_START,
                Event.LLM_CALL_FINISH, Event.TOOL_EXECUTION);

        for (var run : List.of(Map.entry(plain, fromPlain), Map.entry(accumulator.message(), fromStream))) {
            Message received = run.getKey();
            ToolUseBlock toolUse = received.content().stream().filter(block -> block.isToolUse()).findFirst()
                    .orElseThrow().asToolUse();
            Event finish = named(run.getValue(), Event.LLM_CALL_FINISH);
            assertThat(finish.attributes().path("llm.vendor").asText()).isEqualTo("anthropic");
            assertThat(finish.attributes().path("llm.response.stop_reason").asText()).isEqualTo("tool_use");
            assertThat(finish.attributes().path("llm.usage.input_tokens").asLong()).isEqualTo(received.usage().inputTokens());
            assertThat(finish.attributes().path("llm.usage.output_tokens").asLong()).isEqualTo(received.usage().outputTokens());
            Event tool = named(run.getValue(), Event.TOOL_EXECUTION);
            assertThat(tool.attributes().path("tool.call_id").asText()).isEqualTo(toolUse.id());
            assertThat(tool.attributes().path("tool.name").asText()).isEqualTo("get_weather");
            assertThat(tool.attributes().path("tool.params").path("city").asText()).isEqualTo("weather in Paris");
        }
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
