package io.gatehouse.routing;

import com.anthropic.models.messages.MessageCreateParams;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.gatehouse.testing.FakeUpstream;
import io.gatehouse.testing.GatewayTestSupport;
import io.gatehouse.testing.TestGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A translated call never carries the client's key to a provider of another API: the gateway's key for that provider
 * is used, or, when it holds none, the client's key is moved to where the provider's API carries it. The client API's
 * own headers stay behind too.
 */
class CredentialsAcrossApisTest extends GatewayTestSupport {
    private static final String OPENAI_KEY = "sk-openai-gateway-0123456789";
    private static final String ANTHROPIC_KEY = "sk-ant-gateway-0123456789";

    private FakeUpstream openaiUpstream;
    private FakeUpstream claudeUpstream;
    private TestGateway.Running gateway;
    private SdkClients sdk;

    @BeforeEach
    void start() {
        openaiUpstream = FakeUpstream.start(vertx);
        claudeUpstream = FakeUpstream.start(vertx);
    }

    @AfterEach
    void stop() {
        sdk.close();
        gateway.close();
        openaiUpstream.close();
        claudeUpstream.close();
    }

    private void startGateway(String openaiKey, String anthropicKey) {
        gateway = TestGateway.builder()
                .provider("openai", "openai", openaiUpstream.baseUrl(), openaiKey)
                .provider("claude", "anthropic", claudeUpstream.baseUrl(), anthropicKey)
                .start();
        sdk = new SdkClients(gateway);
    }

    @Test
    void anOpenAiClientsKeyNeverReachesAnthropicWhenTheGatewayHoldsOne() {
        startGateway(OPENAI_KEY, ANTHROPIC_KEY);

        sdk.openai.chat().completions().create(ChatCompletionCreateParams.builder().model("claude:demo-claude")
                .addUserMessage("Hi").build());

        FakeUpstream.RecordedRequest sent = claudeUpstream.takeRequest();
        assertThat(sent.header("x-api-key")).isEqualTo(ANTHROPIC_KEY);
        assertThat(sent.header("authorization")).isNull();
        assertNoHeaderCarriesTheClientKey(sent);
    }

    @Test
    void anAnthropicClientsKeyAndHeadersNeverReachOpenAiWhenTheGatewayHoldsAKey() {
        startGateway(OPENAI_KEY, ANTHROPIC_KEY);

        sdk.anthropic.messages().create(MessageCreateParams.builder().model("openai:demo-gpt").maxTokens(64)
                .addUserMessage("Hi").putAdditionalHeader("anthropic-beta", "fine-grained-tool-streaming-2025-05-14").build());

        FakeUpstream.RecordedRequest sent = openaiUpstream.takeRequest();
        assertThat(sent.header("authorization")).isEqualTo("Bearer " + OPENAI_KEY);
        assertThat(sent.header("x-api-key")).isNull();
        assertThat(sent.headers().names()).noneMatch(name -> name.toLowerCase(Locale.ROOT).startsWith("anthropic-"));
        assertNoHeaderCarriesTheClientKey(sent);
    }

    @Test
    void withoutAGatewayKeyAnOpenAiClientsKeyMovesToXApiKey() {
        startGateway(OPENAI_KEY, null);

        sdk.openai.chat().completions().create(ChatCompletionCreateParams.builder().model("claude:demo-claude")
                .addUserMessage("Hi").build());

        FakeUpstream.RecordedRequest sent = claudeUpstream.takeRequest();
        assertThat(sent.header("x-api-key")).isEqualTo(SdkClients.CLIENT_KEY);
        assertThat(sent.header("authorization")).isNull();
    }

    @Test
    void withoutAGatewayKeyAnAnthropicClientsKeyMovesToABearerToken() {
        startGateway(null, ANTHROPIC_KEY);

        sdk.anthropic.messages().create(MessageCreateParams.builder().model("openai:demo-gpt").maxTokens(64)
                .addUserMessage("Hi").build());

        FakeUpstream.RecordedRequest sent = openaiUpstream.takeRequest();
        assertThat(sent.header("authorization")).isEqualTo("Bearer " + SdkClients.CLIENT_KEY);
        assertThat(sent.header("x-api-key")).isNull();
        assertThat(sent.header("anthropic-version")).isNull();
    }

    private static void assertNoHeaderCarriesTheClientKey(FakeUpstream.RecordedRequest sent) {
        assertThat(sent.headers().entries()).allSatisfy(header ->
                assertThat(header.getValue()).as(header.getKey()).doesNotContain(SdkClients.CLIENT_KEY));
    }
}
