package io.gatehouse.policy;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.models.messages.MessageCreateParams;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.BadRequestException;
import com.openai.errors.OpenAIServiceException;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.models.ModelDeleteParams;
import io.gatehouse.config.ProviderConfig;
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

/** The official SDKs see a refused request as their own typed error, with the gateway's message. */
class RequestControlsSdkTest extends GatewayTestSupport {
    private FakeUpstream upstream;
    private TestGateway.Running gateway;
    private OpenAIClient openai;
    private AnthropicClient anthropic;

    @BeforeEach
    void start() {
        upstream = FakeUpstream.start(vertx);
        gateway = TestGateway.builder()
                .provider(new ProviderConfig("openai", "openai", upstream.baseUrl(), null, null, null, null, null,
                        Map.of("model", List.of("demo-gpt*")), null, null, List.of("POST"), null))
                .provider(new ProviderConfig("anthropic", "anthropic", upstream.baseUrl(), null, null, null, null, null,
                        Map.of("model", List.of("demo-claude*")), null, null, null, null))
                .start();
        openai = OpenAIOkHttpClient.builder().baseUrl(gateway.baseUrl() + "/v1").apiKey("sk-client").maxRetries(0).build();
        anthropic = AnthropicOkHttpClient.builder().baseUrl(gateway.baseUrl() + "/anthropic").apiKey("sk-ant-client")
                .maxRetries(0).build();
    }

    @AfterEach
    void stop() {
        openai.close();
        anthropic.close();
        gateway.close();
        upstream.close();
    }

    private static ChatCompletionCreateParams chat(String model) {
        return ChatCompletionCreateParams.builder().model(model).addUserMessage("Hello").build();
    }

    @Test
    void openAiSeesAWhitelistRejectionAsBadRequest() {
        assertThat(openai.chat().completions().create(chat("demo-gpt")).choices()).isNotEmpty();

        assertThatThrownBy(() -> openai.chat().completions().create(chat("gpt-5")))
                .isInstanceOfSatisfying(BadRequestException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.getMessage()).contains("Parameter 'model' value 'gpt-5' is not allowed. Allowed patterns: [demo-gpt*]");
                    assertThat(e.code()).contains("param_not_allowed");
                });
        assertThat(upstream.requests()).as("only the allowed call went upstream").hasSize(1);
    }

    @Test
    void openAiSeesAMethodRejectionWithItsStatus() {
        assertThatThrownBy(() -> openai.models().delete(ModelDeleteParams.builder().model("ft:demo").build()))
                .isInstanceOfSatisfying(OpenAIServiceException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(405);
                    assertThat(e.getMessage()).contains("Method 'DELETE' is not allowed. Allowed methods: POST");
                });
    }

    @Test
    void anthropicSeesAWhitelistRejectionAsBadRequest() {
        MessageCreateParams refused = MessageCreateParams.builder().model("claude-opus-4").maxTokens(50).addUserMessage("Hello").build();
        assertThatThrownBy(() -> anthropic.messages().create(refused))
                .isInstanceOfSatisfying(com.anthropic.errors.BadRequestException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.getMessage()).contains("Parameter 'model' value 'claude-opus-4' is not allowed");
                });
        MessageCreateParams allowed = MessageCreateParams.builder().model("demo-claude").maxTokens(50).addUserMessage("Hello").build();
        assertThat(anthropic.messages().create(allowed).content()).isNotEmpty();
    }
}
