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
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@code models:} table: an alias serves from its first target and falls back along the others, across APIs. */
class ModelAliasTest extends GatewayTestSupport {
    private static final String OVERLOADED = "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}";
    private static final String OPENAI_UNAVAILABLE = "{\"error\":{\"message\":\"Service unavailable\",\"type\":\"server_error\",\"param\":null,\"code\":null}}";

    private FakeUpstream claudeUpstream;
    private FakeUpstream openaiUpstream;
    private FakeUpstream backupUpstream;
    private TestGateway.Running gateway;

    @BeforeEach
    void start() {
        claudeUpstream = FakeUpstream.start(vertx);
        openaiUpstream = FakeUpstream.start(vertx);
        backupUpstream = FakeUpstream.start(vertx);
        gateway = TestGateway.builder()
                .provider("openai", "openai", openaiUpstream.baseUrl(), "sk-openai-0123456789")
                .provider("backup", "openai", backupUpstream.baseUrl(), "sk-backup-0123456789")
                .provider("claude", "anthropic", claudeUpstream.baseUrl(), "sk-ant-0123456789")
                .models(Map.of(
                        "fast", List.of("openai:demo-gpt-mini"),
                        "sturdy", List.of("openai:demo-gpt", "backup:demo-gpt-mini"),
                        "smart", List.of("claude:demo-claude", "openai:demo-gpt")))
                .start();
    }

    @AfterEach
    void stop() {
        gateway.close();
        claudeUpstream.close();
        openaiUpstream.close();
        backupUpstream.close();
    }

    @Test
    void anAliasRoutesToItsFirstTarget() throws Exception {
        HttpResponse<String> response = postJson(gateway.baseUrl() + "/v1/messages",
                RoutingRequests.messages("fast", "Quick one"), RoutingRequests.ANTHROPIC_HEADERS);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(response.body()).at("/content/0/text").asText()).contains("Quick one");
        FakeUpstream.RecordedRequest sent = openaiUpstream.takeRequest();
        assertThat(sent.path()).isEqualTo("/v1/chat/completions");
        assertThat(sent.bodyAsJson().getString("model")).isEqualTo("demo-gpt-mini");
        assertThat(claudeUpstream.requests()).isEmpty();
        assertThat(backupUpstream.requests()).isEmpty();
    }

    @Test
    void aListAliasFallsBackToItsSecondTargetOnA503() throws Exception {
        openaiUpstream.on("POST", "/v1/chat/completions", FakeUpstream.respond(503, "application/json", OPENAI_UNAVAILABLE));

        HttpResponse<String> response = postJson(gateway.baseUrl() + "/v1/chat/completions",
                RoutingRequests.chat("sturdy", "Still there?"), Map.of());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(response.body()).at("/choices/0/message/content").asText()).contains("Still there?");
        assertThat(openaiUpstream.takeRequest().bodyAsJson().getString("model")).isEqualTo("demo-gpt");
        assertThat(backupUpstream.takeRequest().bodyAsJson().getString("model")).isEqualTo("demo-gpt-mini");
    }

    @Test
    void aFallbackToAProviderOfAnotherTypeIsTranslatedForIt() throws Exception {
        claudeUpstream.on("POST", "/v1/messages", FakeUpstream.respond(503, "application/json", OVERLOADED));

        HttpResponse<String> response = postJson(gateway.baseUrl() + "/v1/messages",
                RoutingRequests.messages("smart", "Carry on elsewhere"), RoutingRequests.ANTHROPIC_HEADERS);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode message = Json.MAPPER.readTree(response.body());
        assertThat(message.path("type").asText()).isEqualTo("message");
        assertThat(message.at("/content/0/text").asText()).contains("Carry on elsewhere");
        FakeUpstream.RecordedRequest first = claudeUpstream.takeRequest();
        assertThat(first.path()).isEqualTo("/v1/messages");
        assertThat(first.bodyAsJson().getString("model")).isEqualTo("demo-claude");
        FakeUpstream.RecordedRequest second = openaiUpstream.takeRequest();
        assertThat(second.path()).isEqualTo("/v1/chat/completions");
        assertThat(second.bodyAsJson().getString("model")).isEqualTo("demo-gpt");
        assertThat(second.bodyAsJson().containsKey("max_tokens") || second.bodyAsJson().containsKey("max_completion_tokens"))
                .as("the Messages call was rewritten as a chat completion").isTrue();
        assertThat(second.header("anthropic-version")).isNull();
    }
}
