package io.gatehouse.limit;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.models.messages.MessageCreateParams;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.RateLimitException;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.gatehouse.testing.FakeUpstream;
import io.gatehouse.testing.GatewayTestSupport;
import io.gatehouse.testing.TestGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static io.gatehouse.limit.LimitConfigs.budget;
import static io.gatehouse.limit.LimitConfigs.limits;
import static io.gatehouse.limit.LimitConfigs.requests;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The official SDKs see a refusal as their own rate-limit error, with the headers that say when to come back. */
class LimitsSdkTest extends GatewayTestSupport {
    private final MovableClock clock = new MovableClock(Instant.parse("2031-03-10T10:15:20Z"));
    private FakeUpstream upstream;
    private TestGateway.Running gateway;
    private OpenAIClient openai;
    private AnthropicClient anthropic;

    @BeforeEach
    void start() {
        upstream = FakeUpstream.start(vertx);
        gateway = TestGateway.builder()
                .provider("openai", "openai", upstream.baseUrl(), "sk-gateway")
                .provider("anthropic", "anthropic", upstream.baseUrl(), "sk-ant-gateway")
                .limits(limits("memory", "sdk:", false, Map.of(),
                        requests("per-model", 1, "minute", "model"), budget("monthly", 50, "30d")))
                .clock(clock)
                .start();
        // The SDKs retry a 429 by default; the test wants to see it.
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

    @Test
    void openAiSeesARateLimitExceptionWithRetryAfterAndRateLimitHeaders() {
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("demo-gpt").addUserMessage("Hello").build();
        assertThat(openai.chat().completions().create(params).choices()).isNotEmpty();

        assertThatThrownBy(() -> openai.chat().completions().create(params))
                .isInstanceOfSatisfying(RateLimitException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(429);
                    assertThat(e.getMessage()).contains(
                            "Rate limit exceeded: constraint 'per-model' allows 1 requests per minute for model=demo-gpt; "
                                    + "the minute resets at 2031-03-10T10:16:00Z (in 40 s)");
                    assertThat(e.code()).hasValue("rate_limit_exceeded");
                    assertThat(e.type()).hasValue("rate_limit_exceeded");
                    assertThat(e.headers().values("retry-after")).containsExactly("40");
                    assertThat(e.headers().values("x-ratelimit-limit")).containsExactly("1");
                    assertThat(e.headers().values("x-ratelimit-remaining")).containsExactly("0");
                    assertThat(e.headers().values("x-ratelimit-reset")).containsExactly("40");
                });
        assertThat(upstream.requests()).hasSize(1);
    }

    @Test
    void anthropicSeesARateLimitExceptionAndOtherModelsStillPass() {
        MessageCreateParams claude = MessageCreateParams.builder().model("demo-claude").maxTokens(50).addUserMessage("Hello").build();
        assertThat(anthropic.messages().create(claude).content()).isNotEmpty();

        assertThatThrownBy(() -> anthropic.messages().create(claude))
                .isInstanceOfSatisfying(com.anthropic.errors.RateLimitException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(429);
                    assertThat(e.getMessage()).contains("constraint 'per-model' allows 1 requests per minute for model=demo-claude");
                    assertThat(e.headers().values("retry-after")).containsExactly("40");
                });
        MessageCreateParams other = MessageCreateParams.builder().model("demo-claude-2").maxTokens(50).addUserMessage("Hi").build();
        assertThat(anthropic.messages().create(other).content()).isNotEmpty();
    }
}
