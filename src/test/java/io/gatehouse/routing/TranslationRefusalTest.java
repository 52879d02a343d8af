package io.gatehouse.routing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.openai.errors.BadRequestException;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.gatehouse.config.BreakerConfig;
import io.gatehouse.config.ProviderConfig;
import io.gatehouse.pipeline.Json;
import io.gatehouse.testing.FakeUpstream;
import io.gatehouse.testing.GatewayTestSupport;
import io.gatehouse.testing.TestGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What a provider cannot serve is refused with a 400 in the client's shape, before anything is sent: OpenAI-only
 * endpoints on providers of other APIs, and request features the target cannot express.
 */
class TranslationRefusalTest extends GatewayTestSupport {
    private FakeUpstream openaiUpstream;
    private FakeUpstream claudeUpstream;
    private FakeUpstream geminiUpstream;
    private TestGateway.Running gateway;

    @BeforeEach
    void start() {
        openaiUpstream = FakeUpstream.start(vertx);
        claudeUpstream = FakeUpstream.start(vertx);
        geminiUpstream = FakeUpstream.start(vertx);
        gateway = TestGateway.builder()
                .provider("openai", "openai", openaiUpstream.baseUrl(), "sk-openai-0123456789")
                .provider("claude", "anthropic", claudeUpstream.baseUrl(), "sk-ant-0123456789")
                .provider("gemini", "gemini", geminiUpstream.baseUrl(), "gemini-key-0123456789")
                .start();
    }

    @AfterEach
    void stop() {
        gateway.close();
        openaiUpstream.close();
        claudeUpstream.close();
        geminiUpstream.close();
    }

    @Test
    void embeddingsForAnAnthropicProviderAreRefusedNamingIt() throws Exception {
        JsonNode error = openAiError(postJson(gateway.baseUrl() + "/v1/embeddings",
                "{\"model\":\"claude:voyage-3\",\"input\":\"alpha\"}", Map.of()), 400);

        assertThat(error.path("message").asText()).contains("'claude'").contains("/v1/embeddings");
        assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
        assertNothingSentUpstream();
    }

    @Test
    void embeddingsForAGeminiProviderAreRefusedNamingIt() throws Exception {
        JsonNode error = openAiError(postJson(gateway.baseUrl() + "/gemini/v1/embeddings",
                "{\"model\":\"text-embedding-004\",\"input\":\"alpha\"}", Map.of()), 400);

        assertThat(error.path("message").asText()).contains("'gemini'");
        assertNothingSentUpstream();
    }

    @Test
    void severalChoicesForAnthropicAreRefusedThroughTheSdk() {
        try (SdkClients sdk = new SdkClients(gateway)) {
            assertThatThrownBy(() -> sdk.openai.chat().completions().create(ChatCompletionCreateParams.builder()
                    .model("claude:demo-claude").addUserMessage("Two answers please").n(2).build()))
                    .isInstanceOfSatisfying(BadRequestException.class, e -> {
                        assertThat(e.code()).contains("unsupported_feature");
                        assertThat(e.getMessage()).contains("n (several choices)");
                    });
        }
        assertNothingSentUpstream();
    }

    @Test
    void logprobsForAnthropicAreRefusedEvenWhenStreamed() throws Exception {
        ObjectNode body = RoutingRequests.chatObject("claude:demo-claude", "How sure are you?")
                .put("logprobs", true).put("stream", true);

        JsonNode error = openAiError(postJson(gateway.baseUrl() + "/v1/chat/completions", RoutingRequests.json(body),
                Map.of()), 400);

        assertThat(error.path("code").asText()).isEqualTo("unsupported_feature");
        assertThat(error.path("message").asText()).contains("logprobs");
        assertNothingSentUpstream();
    }

    @Test
    void anthropicServerToolsForAnOpenAiProviderAreRefusedInAnthropicsShape() throws Exception {
        ObjectNode body = RoutingRequests.messagesObject("openai:demo-gpt", "Search the web for Gatehouse");
        body.putArray("tools").addObject().put("type", "web_search_20250305").put("name", "web_search").put("max_uses", 3);

        HttpResponse<String> response = postJson(gateway.baseUrl() + "/v1/messages", RoutingRequests.json(body),
                RoutingRequests.ANTHROPIC_HEADERS);

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode answer = Json.MAPPER.readTree(response.body());
        assertThat(answer.path("type").asText()).isEqualTo("error");
        assertThat(answer.at("/error/type").asText()).isEqualTo("invalid_request_error");
        assertThat(answer.at("/error/message").asText()).contains("web_search");
        assertNothingSentUpstream();
    }

    @Test
    void refusalsDoNotCountAsTheProvidersFailures() throws Exception {
        // A breaker that opens after two failures in a row: two refused calls must not take the provider down.
        ProviderConfig guarded = new ProviderConfig("claude", "anthropic", claudeUpstream.baseUrl(), "sk-ant-0123456789",
                null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                new BreakerConfig(2, 100, 60_000L, 1), null, null, null, null, null);
        try (TestGateway.Running breakerGateway = TestGateway.builder().provider(guarded).start()) {
            String twoChoices = RoutingRequests.json(RoutingRequests.chatObject("demo-claude", "Two please").put("n", 2));
            for (int i = 0; i < 2; i++) {
                openAiError(postJson(breakerGateway.baseUrl() + "/v1/chat/completions", twoChoices, Map.of()), 400);
            }

            HttpResponse<String> served = postJson(breakerGateway.baseUrl() + "/v1/chat/completions",
                    RoutingRequests.chat("demo-claude", "One please"), Map.of());

            assertThat(served.statusCode()).as(served.body()).isEqualTo(200);
            assertThat(claudeUpstream.requests()).hasSize(1);
        }
    }

    private static JsonNode openAiError(HttpResponse<String> response, int status) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return Json.MAPPER.readTree(response.body()).path("error");
    }

    private void assertNothingSentUpstream() {
        assertThat(openaiUpstream.requests()).isEmpty();
        assertThat(claudeUpstream.requests()).isEmpty();
        assertThat(geminiUpstream.requests()).isEmpty();
    }
}
