package io.gatehouse.routing;

import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
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

/**
 * Azure OpenAI speaks OpenAI's API under per-deployment URLs with an {@code api-version} and its key in {@code api-key}:
 * OpenAI calls pass through on those URLs, Anthropic calls are translated to chat and go there too.
 */
class AzureRoutingTest extends GatewayTestSupport {
    private static final String AZURE_KEY = "azure-gateway-key-0123456789";
    private static final String API_VERSION = "2025-01-01-preview";
    private static final String CHAT_COMPLETION = """
            {"id":"chatcmpl-az1","object":"chat.completion","created":1735689600,"model":"gpt-4o",
             "choices":[{"index":0,"message":{"role":"assistant","content":"Hello from Azure"},"finish_reason":"stop"}],
             "usage":{"prompt_tokens":9,"completion_tokens":3,"total_tokens":12}}""";

    private FakeUpstream azureUpstream;
    private TestGateway.Running gateway;

    @BeforeEach
    void start() {
        azureUpstream = FakeUpstream.start(vertx);
        azureUpstream.on("POST", "/openai/deployments/gpt-4o/chat/completions",
                FakeUpstream.respond(200, "application/json", CHAT_COMPLETION));
        gateway = TestGateway.builder()
                .provider(new ProviderConfig("azure", "azure", azureUpstream.baseUrl(), AZURE_KEY, null, null, null, null)
                        .withTranslation(API_VERSION, null, null))
                .start();
    }

    @AfterEach
    void stop() {
        gateway.close();
        azureUpstream.close();
    }

    @Test
    void openAiChatGoesToTheDeploymentUrlWithApiKey() throws Exception {
        String body = RoutingRequests.chat("gpt-4o", "Hello Azure");

        HttpResponse<String> response = postJson(gateway.baseUrl() + "/v1/chat/completions", body,
                Map.of("authorization", "Bearer " + SdkClients.CLIENT_KEY));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(response.body()).at("/choices/0/message/content").asText()).isEqualTo("Hello from Azure");
        FakeUpstream.RecordedRequest sent = azureUpstream.takeRequest();
        assertThat(sent.path()).isEqualTo("/openai/deployments/gpt-4o/chat/completions");
        assertThat(sent.query()).isEqualTo("api-version=" + API_VERSION);
        assertThat(sent.header("api-key")).isEqualTo(AZURE_KEY);
        assertThat(sent.header("authorization")).isNull();
        assertThat(sent.bodyAsString()).isEqualTo(body);
    }

    @Test
    void embeddingsGoToTheDeploymentUrlToo() throws Exception {
        azureUpstream.on("POST", "/openai/deployments/text-embedding-3-small/embeddings", FakeUpstream.respond(200,
                "application/json", "{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,\"embedding\":[0.5]}],"
                        + "\"model\":\"text-embedding-3-small\",\"usage\":{\"prompt_tokens\":1,\"total_tokens\":1}}"));

        HttpResponse<String> response = postJson(gateway.baseUrl() + "/v1/embeddings",
                "{\"model\":\"text-embedding-3-small\",\"input\":\"alpha\"}", Map.of("authorization", "Bearer " + SdkClients.CLIENT_KEY));

        assertThat(response.statusCode()).isEqualTo(200);
        FakeUpstream.RecordedRequest sent = azureUpstream.takeRequest();
        assertThat(sent.path()).isEqualTo("/openai/deployments/text-embedding-3-small/embeddings");
        assertThat(sent.query()).isEqualTo("api-version=" + API_VERSION);
        assertThat(sent.header("api-key")).isEqualTo(AZURE_KEY);
        assertThat(sent.header("authorization")).isNull();
    }

    @Test
    void responsesGoToTheResourcesResponsesUrl() throws Exception {
        azureUpstream.on("POST", "/openai/responses", FakeUpstream.respond(200, "application/json",
                "{\"id\":\"resp_1\",\"object\":\"response\",\"status\":\"completed\",\"model\":\"gpt-4o\",\"output\":[]}"));
        String body = "{\"model\":\"gpt-4o\",\"input\":\"Hello Responses\"}";

        HttpResponse<String> response = postJson(gateway.baseUrl() + "/v1/responses", body, Map.of());

        assertThat(response.statusCode()).isEqualTo(200);
        FakeUpstream.RecordedRequest sent = azureUpstream.takeRequest();
        assertThat(sent.path()).isEqualTo("/openai/responses");
        assertThat(sent.query()).isEqualTo("api-version=" + API_VERSION);
        assertThat(sent.header("api-key")).isEqualTo(AZURE_KEY);
        assertThat(sent.bodyAsString()).isEqualTo(body);
    }

    @Test
    void anthropicMessagesAreTranslatedAndGoToTheDeploymentUrl() {
        Message message;
        try (SdkClients sdk = new SdkClients(gateway)) {
            message = sdk.anthropic.messages().create(MessageCreateParams.builder().model("gpt-4o").maxTokens(100)
                    .addUserMessage("Hello from Claude's SDK").build());
        }

        assertThat(message.content().getFirst().text().orElseThrow().text()).isEqualTo("Hello from Azure");
        assertThat(message.usage().outputTokens()).isEqualTo(3);
        FakeUpstream.RecordedRequest sent = azureUpstream.takeRequest();
        assertThat(sent.path()).isEqualTo("/openai/deployments/gpt-4o/chat/completions");
        assertThat(sent.query()).isEqualTo("api-version=" + API_VERSION);
        assertThat(sent.header("api-key")).isEqualTo(AZURE_KEY);
        assertThat(sent.header("x-api-key")).isNull();
        assertThat(sent.header("anthropic-version")).isNull();
        assertThat(sent.bodyAsJson().getJsonArray("messages").encode()).contains("Hello from Claude's SDK");
    }

    /**
     * Without a key of the gateway's, an OpenAI SDK's key (a bearer token) goes to Azure in api-key, where Azure reads
     * keys; an Entra ID token (a JWT) stays a bearer token, which is how Azure takes those.
     */
    @Test
    void aClientsOwnKeyGoesToAzureInApiKeyAndAnEntraTokenStaysABearerToken() throws Exception {
        gateway.close();
        gateway = TestGateway.builder()
                .provider(new ProviderConfig("azure", "azure", azureUpstream.baseUrl(), null, null, null, null, null)
                        .withTranslation(API_VERSION, null, null))
                .start();
        String body = RoutingRequests.chat("gpt-4o", "Hello Azure");

        HttpResponse<String> withKey = postJson(gateway.baseUrl() + "/v1/chat/completions", body,
                Map.of("authorization", "Bearer client-azure-key-42"));
        assertThat(withKey.statusCode()).isEqualTo(200);
        FakeUpstream.RecordedRequest sent = azureUpstream.takeRequest();
        assertThat(sent.header("api-key")).isEqualTo("client-azure-key-42");
        assertThat(sent.header("authorization")).isNull();

        String entraToken = "eyJ0eXAiOiJKV1QifQ.eyJhdWQiOiJodHRwczovL2NvZ25pdGl2ZXNlcnZpY2VzLmF6dXJlLmNvbSJ9.c2ln";
        postJson(gateway.baseUrl() + "/v1/chat/completions", body, Map.of("authorization", "Bearer " + entraToken));
        sent = azureUpstream.takeRequest();
        assertThat(sent.header("authorization")).isEqualTo("Bearer " + entraToken);
        assertThat(sent.header("api-key")).isNull();
    }
}
