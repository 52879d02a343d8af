package io.gatehouse.routing;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.models.messages.MessageCreateParams;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.errors.PermissionDeniedException;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.gatehouse.config.ProviderConfig;
import io.gatehouse.testing.GatewayTestSupport;
import io.gatehouse.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.gatehouse.routing.FakeProviders.BEDROCK_ACCESS_KEY_ID;
import static io.gatehouse.routing.FakeProviders.BEDROCK_MODEL;
import static io.gatehouse.routing.FakeProviders.BEDROCK_REGION;
import static io.gatehouse.routing.FakeProviders.CLIENT_KEY;
import static io.gatehouse.routing.FakeProviders.GEMINI_MODEL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What Gemini and Bedrock refuse reaches the client's SDK as its own exception, with the provider's status and
 * message: a key Google does not know, a request signed with the wrong secret, a model the provider does not serve.
 * Also shows the fakes check what they are sent, so the passing calls of the other tests were really authenticated.
 */
class ProviderErrorsReachTheSdkTest extends GatewayTestSupport {
    private static FakeProviders providers;
    private static TestGateway.Running gateway;
    private static OpenAIClient openai;
    private static AnthropicClient anthropic;

    @BeforeAll
    static void start() {
        providers = FakeProviders.start(vertx);
        gateway = providers.gateway()
                .provider("gemini-wrong-key", "gemini", providers.gemini.baseUrl(), "AIzaSy-not-the-gateway-key")
                .provider(new ProviderConfig("bedrock-wrong-secret", "bedrock", providers.bedrock.baseUrl(),
                        BEDROCK_ACCESS_KEY_ID + ":not/the+secret0123456789", null, null, null, null)
                        .withTranslation(null, BEDROCK_REGION, List.of()))
                .start();
        openai = OpenAIOkHttpClient.builder().baseUrl(gateway.baseUrl() + "/v1").apiKey(CLIENT_KEY).maxRetries(0).build();
        anthropic = AnthropicOkHttpClient.builder().baseUrl(gateway.baseUrl()).apiKey(CLIENT_KEY).maxRetries(0).build();
    }

    @AfterAll
    static void stop() {
        openai.close();
        anthropic.close();
        gateway.close();
        providers.close();
    }

    @Test
    void aKeyGeminiDoesNotKnowIsItsBadRequestNamingTheKey() {
        assertThatThrownBy(() -> openai.chat().completions().create(chat("gemini-wrong-key:" + GEMINI_MODEL)))
                .isInstanceOfSatisfying(BadRequestException.class, e -> {
                    assertThat(e.getMessage()).contains("API key not valid");
                    assertThat(e.type()).contains("authentication_error");
                });
    }

    @Test
    void aModelGeminiDoesNotServeIsNotFound() {
        assertThatThrownBy(() -> openai.chat().completions().create(chat("gemini:gemini-0-nonexistent")))
                .isInstanceOfSatisfying(NotFoundException.class,
                        e -> assertThat(e.getMessage()).contains("models/gemini-0-nonexistent is not found"));
    }

    @Test
    void aRequestSignedWithTheWrongSecretIsRefusedPlainAndStreamed() {
        String model = "bedrock-wrong-secret:" + BEDROCK_MODEL;
        assertThatThrownBy(() -> openai.chat().completions().create(chat(model)))
                .isInstanceOfSatisfying(PermissionDeniedException.class,
                        e -> assertThat(e.getMessage()).contains("signature we calculated does not match"));
        assertThatThrownBy(() -> {
            try (StreamResponse<ChatCompletionChunk> chunks = openai.chat().completions().createStreaming(chat(model))) {
                chunks.stream().forEach(chunk -> {
                });
            }
        }).isInstanceOf(PermissionDeniedException.class);
    }

    @Test
    void aModelBedrockDoesNotServeIsTheAnthropicSdksBadRequest() {
        assertThatThrownBy(() -> anthropic.messages().create(MessageCreateParams.builder()
                .model("bedrock:anthropic.claude-0-nonexistent-v1:0").maxTokens(64).addUserMessage("Hi").build()))
                .isInstanceOfSatisfying(com.anthropic.errors.BadRequestException.class,
                        e -> assertThat(e.getMessage()).contains("The provided model identifier is invalid."));
        // Bedrock names the error only in its x-amzn-ErrorType header; OpenAI's error has room for it in its code.
        assertThatThrownBy(() -> openai.chat().completions().create(chat("bedrock:anthropic.claude-0-nonexistent-v1:0")))
                .isInstanceOfSatisfying(com.openai.errors.BadRequestException.class,
                        e -> assertThat(e.code()).contains("ValidationException"));
    }

    private static ChatCompletionCreateParams chat(String model) {
        return ChatCompletionCreateParams.builder().model(model).addUserMessage("Hi").build();
    }
}
