package io.gatehouse.routing;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import io.gatehouse.provider.demo.DemoUpstream;
import io.gatehouse.testing.FakeUpstream;
import io.gatehouse.testing.GatewayTestSupport;
import io.gatehouse.testing.TestGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The OpenAI SDK asking for {@code anthropic:model}: the call reaches the Anthropic fake as a Messages call. */
class TranslationSmokeTest extends GatewayTestSupport {
    private static final String ANTHROPIC_KEY = "sk-ant-gateway-0123456789";
    private FakeUpstream openaiUpstream;
    private FakeUpstream anthropicUpstream;
    private TestGateway.Running gateway;
    private OpenAIClient openai;

    @BeforeEach
    void start() {
        openaiUpstream = FakeUpstream.start(vertx, new DemoUpstream.Options(0, "sk-openai-0123456789"));
        anthropicUpstream = FakeUpstream.start(vertx, new DemoUpstream.Options(0, ANTHROPIC_KEY));
        gateway = TestGateway.builder()
                .provider("openai", "openai", openaiUpstream.baseUrl(), "sk-openai-0123456789")
                .provider("anthropic", "anthropic", anthropicUpstream.baseUrl(), ANTHROPIC_KEY)
                .start();
        openai = OpenAIOkHttpClient.builder().baseUrl(gateway.baseUrl() + "/v1").apiKey("client-placeholder")
                .maxRetries(0).build();
    }

    @AfterEach
    void stop() {
        openai.close();
        gateway.close();
        openaiUpstream.close();
        anthropicUpstream.close();
    }

    @Test
    void plainCallGoesOutAsAnthropicMessages() {
        ChatCompletion completion = openai.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("anthropic:demo-claude").addSystemMessage("Be brief").addUserMessage("Hello there").build());
        assertThat(completion.choices().getFirst().message().content().orElseThrow()).contains("Hello there");
        FakeUpstream.RecordedRequest sent = anthropicUpstream.takeRequest();
        assertThat(sent.path()).isEqualTo("/v1/messages");
        assertThat(sent.header("x-api-key")).isEqualTo(ANTHROPIC_KEY);
        assertThat(sent.header("authorization")).isNull();
        assertThat(sent.bodyAsJson().getString("model")).isEqualTo("demo-claude");
        assertThat(sent.bodyAsJson().getJsonArray("system").getJsonObject(0).getString("text")).isEqualTo("Be brief");
        assertThat(openaiUpstream.requests()).isEmpty();
    }

    @Test
    void streamedCallIsTranslatedBackChunkByChunk() {
        ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
        try (StreamResponse<ChatCompletionChunk> stream = openai.chat().completions().createStreaming(
                ChatCompletionCreateParams.builder().model("anthropic:demo-claude").addUserMessage("stream me please")
                        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
            stream.stream().forEach(accumulator::accumulate);
        }
        ChatCompletion streamed = accumulator.chatCompletion();
        assertThat(streamed.choices().getFirst().message().content().orElseThrow()).contains("stream me please");
        assertThat(streamed.usage().orElseThrow().completionTokens()).isPositive();
        assertThat(anthropicUpstream.takeRequest().path()).isEqualTo("/v1/messages");
    }
}
