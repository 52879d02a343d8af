package io.gatehouse.routing;

import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import io.gatehouse.testing.FakeUpstream;
import io.gatehouse.testing.GatewayTestSupport;
import io.gatehouse.testing.TestGateway;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** An Ollama server as the default provider: it speaks OpenAI chat natively, and its model names carry tags. */
class OllamaRoutingTest extends GatewayTestSupport {
    private FakeUpstream ollamaUpstream;
    private TestGateway.Running gateway;

    @BeforeEach
    void start() {
        ollamaUpstream = FakeUpstream.start(vertx);
        gateway = TestGateway.builder().provider("local", "ollama", ollamaUpstream.baseUrl(), null).start();
    }

    @AfterEach
    void stop() {
        gateway.close();
        ollamaUpstream.close();
    }

    @Test
    void openAiChatWithATaggedModelPassesThroughUntouched() throws Exception {
        String body = RoutingRequests.chat("qwen3:8b", "Hello llama");

        HttpResponse<String> response = postJson(gateway.baseUrl() + "/v1/chat/completions", body, Map.of());

        assertThat(response.statusCode()).isEqualTo(200);
        FakeUpstream.RecordedRequest sent = ollamaUpstream.takeRequest();
        assertThat(sent.path()).isEqualTo("/v1/chat/completions");
        assertThat(sent.bodyAsString()).isEqualTo(body);
    }

    @Test
    void anthropicSdkMessagesAreTranslatedToOpenAiChat() {
        try (SdkClients sdk = new SdkClients(gateway)) {
            Message message = sdk.anthropic.messages().create(MessageCreateParams.builder().model("qwen3:8b").maxTokens(64)
                    .system("Answer in French").addUserMessage("Bonjour Ollama").build());

            assertThat(message.content().getFirst().text().orElseThrow().text()).contains("Bonjour Ollama");
        }
        FakeUpstream.RecordedRequest sent = ollamaUpstream.takeRequest();
        assertThat(sent.path()).isEqualTo("/v1/chat/completions");
        JsonObject chat = sent.bodyAsJson();
        assertThat(chat.getString("model")).isEqualTo("qwen3:8b");
        assertThat(chat.getJsonArray("messages").getJsonObject(0).getString("role")).isEqualTo("system");
        assertThat(chat.getJsonArray("messages").getJsonObject(1).getString("content")).contains("Bonjour Ollama");
    }
}
