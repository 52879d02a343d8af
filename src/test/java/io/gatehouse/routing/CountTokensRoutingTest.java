package io.gatehouse.routing;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.pipeline.Json;
import io.gatehouse.testing.FakeUpstream;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Anthropic's token counting: Anthropic counts its own; for any other provider the gateway counts, sending nothing. */
class CountTokensRoutingTest extends OpenAiAndClaudeGatewayTest {
    @Test
    void aNonAnthropicProviderIsCountedLocallyAndGrowsWithTheInput() throws Exception {
        long fewTokens = countTokens("openai:gpt-4o", "Hello there");
        long manyTokens = countTokens("gpt-4o", "Hello there. " + "The quick brown fox jumps over the lazy dog. ".repeat(40));

        assertThat(fewTokens).isPositive();
        assertThat(manyTokens).isGreaterThan(fewTokens + 300);
        assertThat(openaiUpstream.requests()).isEmpty();
        assertThat(claudeUpstream.requests()).isEmpty();
    }

    @Test
    void anAnthropicProviderCountsItsOwn() throws Exception {
        HttpResponse<String> response = postJson(gateway.baseUrl() + "/v1/messages/count_tokens",
                RoutingRequests.messages("claude:demo-claude", "Count me"), RoutingRequests.ANTHROPIC_HEADERS);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(response.body()).path("input_tokens").asLong()).isPositive();
        FakeUpstream.RecordedRequest sent = claudeUpstream.takeRequest();
        assertThat(sent.path()).isEqualTo("/v1/messages/count_tokens");
        assertThat(sent.bodyAsJson().getString("model")).isEqualTo("demo-claude");
        assertThat(sent.header("x-api-key")).isEqualTo("sk-ant-0123456789");
        assertThat(openaiUpstream.requests()).isEmpty();
    }

    private long countTokens(String model, String text) throws Exception {
        HttpResponse<String> response = postJson(gateway.baseUrl() + "/v1/messages/count_tokens",
                RoutingRequests.messages(model, text), RoutingRequests.ANTHROPIC_HEADERS);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode answer = Json.MAPPER.readTree(response.body());
        assertThat(answer.properties()).extracting(Map.Entry::getKey).containsExactly("input_tokens");
        return answer.path("input_tokens").asLong();
    }
}
