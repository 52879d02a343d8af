package io.gatehouse.routing;

import com.fasterxml.jackson.databind.JsonNode;
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
 * Which provider a call goes to, read from its {@code model}: {@code provider:model} names one, anything else stays
 * on the route's provider as sent, and a prefix that looks like a provider but is none is a 404 in the client's shape.
 */
class ModelIdRoutingTest extends GatewayTestSupport {
    private FakeUpstream openaiUpstream;
    private FakeUpstream backupUpstream;
    private FakeUpstream anthropicUpstream;
    private TestGateway.Running gateway;

    @BeforeEach
    void start() {
        openaiUpstream = FakeUpstream.start(vertx);
        backupUpstream = FakeUpstream.start(vertx);
        anthropicUpstream = FakeUpstream.start(vertx);
        gateway = TestGateway.builder()
                .provider("openai", "openai", openaiUpstream.baseUrl(), "sk-openai-0123456789")
                .provider("backup", "openai", backupUpstream.baseUrl(), "sk-backup-0123456789")
                .provider("claude", "anthropic", anthropicUpstream.baseUrl(), "sk-ant-0123456789")
                .start();
    }

    @AfterEach
    void stop() {
        gateway.close();
        openaiUpstream.close();
        backupUpstream.close();
        anthropicUpstream.close();
    }

    @Test
    void providerPrefixRoutesToThatProviderWithTheModelRewritten() throws Exception {
        HttpResponse<String> response = postJson(gateway.baseUrl() + "/v1/chat/completions",
                RoutingRequests.chat("backup:demo-gpt", "Hello backup"), Map.of());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(response.body()).at("/choices/0/message/content").asText()).contains("Hello backup");
        FakeUpstream.RecordedRequest sent = backupUpstream.takeRequest();
        assertThat(sent.path()).isEqualTo("/v1/chat/completions");
        assertThat(sent.bodyAsJson().getString("model")).isEqualTo("demo-gpt");
        assertThat(openaiUpstream.requests()).isEmpty();
        // The metrics name the provider that served the call, not the one its path would have gone to.
        String metrics = getUrl(gateway.baseUrl() + "/metrics").body();
        assertThat(metrics).containsPattern("gatehouse_requests_seconds_count\\{[^}]*provider=\"backup\"[^}]*status=\"200\"")
                .containsPattern("gatehouse_request_bytes_total\\{provider=\"backup\"} [1-9]")
                .doesNotContainPattern("gatehouse_requests_seconds_count\\{[^}]*provider=\"openai\"");
    }

    @Test
    void anAnthropicClientReachesAnOpenAiProviderByItsPrefix() throws Exception {
        HttpResponse<String> response = postJson(gateway.baseUrl() + "/v1/messages",
                RoutingRequests.messages("backup:demo-gpt", "Hello from Claude's SDK"), RoutingRequests.ANTHROPIC_HEADERS);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode message = Json.MAPPER.readTree(response.body());
        assertThat(message.path("type").asText()).isEqualTo("message");
        assertThat(message.at("/content/0/text").asText()).contains("Hello from Claude's SDK");
        FakeUpstream.RecordedRequest sent = backupUpstream.takeRequest();
        assertThat(sent.path()).isEqualTo("/v1/chat/completions");
        assertThat(sent.bodyAsJson().getString("model")).isEqualTo("demo-gpt");
        assertThat(anthropicUpstream.requests()).isEmpty();
    }

    @Test
    void aModelWithoutPrefixStaysOnTheRouteProviderByteForByte() throws Exception {
        // Odd spacing, key order and an unknown field: a passthrough call must not be re-serialised.
        String body = "{ \"messages\" : [{\"role\":\"user\",\"content\":\"Hi\"}],\n  \"model\":\"demo-gpt\", \"x_vendor_field\": 1.50 }";

        HttpResponse<String> response = postJson(gateway.baseUrl() + "/v1/chat/completions", body, Map.of());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(openaiUpstream.takeRequest().bodyAsString()).isEqualTo(body);
        assertThat(backupUpstream.requests()).isEmpty();
        assertThat(anthropicUpstream.requests()).isEmpty();
    }

    @Test
    void anUnknownProviderPrefixIsA404InTheOpenAiShape() throws Exception {
        HttpResponse<String> response = postJson(gateway.baseUrl() + "/v1/chat/completions",
                RoutingRequests.chat("nope:demo-gpt", "Hi"), Map.of());

        assertThat(response.statusCode()).isEqualTo(404);
        JsonNode error = Json.MAPPER.readTree(response.body()).path("error");
        assertThat(error.path("code").asText()).isEqualTo("model_not_found");
        assertThat(error.path("type").asText()).isEqualTo("not_found_error");
        assertThat(error.path("message").asText()).contains("nope:demo-gpt");
        assertNothingSentUpstream();
    }

    @Test
    void anUnknownProviderPrefixIsA404InTheAnthropicShape() throws Exception {
        HttpResponse<String> response = postJson(gateway.baseUrl() + "/v1/messages",
                RoutingRequests.messages("nope:demo-claude", "Hi"), RoutingRequests.ANTHROPIC_HEADERS);

        assertThat(response.statusCode()).isEqualTo(404);
        JsonNode body = Json.MAPPER.readTree(response.body());
        assertThat(body.path("type").asText()).isEqualTo("error");
        assertThat(body.at("/error/type").asText()).isEqualTo("not_found_error");
        assertThat(body.at("/error/message").asText()).contains("nope:demo-claude");
        assertNothingSentUpstream();
    }

    @Test
    void aFineTuneIdIsNotMistakenForAProvider() throws Exception {
        String body = RoutingRequests.chat("ft:gpt-4o-mini:org::id", "Hi");

        HttpResponse<String> response = postJson(gateway.baseUrl() + "/v1/chat/completions", body, Map.of());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(openaiUpstream.takeRequest().bodyAsString()).isEqualTo(body);
    }

    private void assertNothingSentUpstream() {
        assertThat(openaiUpstream.requests()).isEmpty();
        assertThat(backupUpstream.requests()).isEmpty();
        assertThat(anthropicUpstream.requests()).isEmpty();
    }
}
