package io.gatehouse.routing;

import com.anthropic.models.models.ModelInfo;
import com.fasterxml.jackson.databind.JsonNode;
import com.openai.models.models.Model;
import io.gatehouse.config.ProviderConfig;
import io.gatehouse.pipeline.Json;
import io.gatehouse.testing.FakeUpstream;
import io.gatehouse.testing.GatewayTestSupport;
import io.gatehouse.testing.TestGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /v1/models}: with aliases or providers' {@code models} lists, exactly what is routable, in the shape of the
 * SDK that asks; without them, the default provider's own list.
 */
class ModelListTest extends GatewayTestSupport {
    private static final List<String> LISTED = List.of("smart", "fast", "claude:claude-sonnet-4-5", "claude:claude-haiku-4-5");

    private FakeUpstream openaiUpstream;
    private FakeUpstream claudeUpstream;
    private TestGateway.Running gateway;

    @BeforeEach
    void start() {
        openaiUpstream = FakeUpstream.start(vertx);
        claudeUpstream = FakeUpstream.start(vertx);
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        openaiUpstream.close();
        claudeUpstream.close();
    }

    private void startWithListedModels() {
        Map<String, List<String>> aliases = new LinkedHashMap<>();
        aliases.put("smart", List.of("claude:claude-sonnet-4-5", "openai:gpt-4o"));
        aliases.put("fast", List.of("openai:gpt-4o-mini"));
        gateway = TestGateway.builder()
                .provider("openai", "openai", openaiUpstream.baseUrl(), "sk-openai-0123456789")
                .provider(new ProviderConfig("claude", "anthropic", claudeUpstream.baseUrl(), "sk-ant-0123456789",
                        null, null, null, null).withTranslation(null, null, List.of("claude-sonnet-4-5", "claude-haiku-4-5")))
                .models(aliases)
                .start();
    }

    @Test
    void theOpenAiSdkListsExactlyTheAliasesAndListedModels() {
        startWithListedModels();
        try (SdkClients sdk = new SdkClients(gateway)) {
            List<Model> models = sdk.openai.models().list().data();

            assertThat(models).extracting(Model::id).containsExactlyElementsOf(LISTED);
            assertThat(models).extracting(Model::ownedBy).containsExactly("claude", "openai", "claude", "claude");
            assertThat(sdk.openai.models().retrieve("fast").ownedBy()).isEqualTo("openai");
        }
        assertNothingSentUpstream();
    }

    @Test
    void theAnthropicSdkGetsAnthropicsShape() {
        startWithListedModels();
        try (SdkClients sdk = new SdkClients(gateway)) {
            List<ModelInfo> models = sdk.anthropic.models().list().data();

            assertThat(models).extracting(ModelInfo::id).containsExactlyElementsOf(LISTED);
            assertThat(sdk.anthropic.models().retrieve("claude:claude-haiku-4-5").id()).isEqualTo("claude:claude-haiku-4-5");
        }
        assertNothingSentUpstream();
    }

    @Test
    void oneListedModelIsFoundAndAnUnlistedOneIsA404() throws Exception {
        startWithListedModels();

        HttpResponse<String> found = get("/v1/models/claude:claude-sonnet-4-5", Map.of());
        assertThat(found.statusCode()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(found.body()).path("id").asText()).isEqualTo("claude:claude-sonnet-4-5");

        HttpResponse<String> missing = get("/v1/models/gpt-4o", Map.of());
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(Json.MAPPER.readTree(missing.body()).at("/error/code").asText()).isEqualTo("model_not_found");
        assertNothingSentUpstream();
    }

    @Test
    void anUnlistedModelIsA404InAnthropicsShapeForAnAnthropicClient() throws Exception {
        startWithListedModels();

        HttpResponse<String> missing = get("/v1/models/gpt-4o", RoutingRequests.ANTHROPIC_HEADERS);

        assertThat(missing.statusCode()).isEqualTo(404);
        JsonNode body = Json.MAPPER.readTree(missing.body());
        assertThat(body.path("type").asText()).isEqualTo("error");
        assertThat(body.at("/error/type").asText()).isEqualTo("not_found_error");
    }

    @Test
    void withoutListedModelsTheDefaultProviderAnswers() throws Exception {
        gateway = TestGateway.builder()
                .provider("openai", "openai", openaiUpstream.baseUrl(), "sk-openai-0123456789")
                .provider("claude", "anthropic", claudeUpstream.baseUrl(), "sk-ant-0123456789")
                .start();

        HttpResponse<String> response = get("/v1/models", Map.of());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(response.body()).path("data").findValuesAsText("id")).contains("demo-gpt");
        FakeUpstream.RecordedRequest sent = openaiUpstream.takeRequest();
        assertThat(sent.path()).isEqualTo("/v1/models");
        assertThat(sent.header("authorization")).isEqualTo("Bearer sk-openai-0123456789");
        assertThat(claudeUpstream.requests()).isEmpty();
    }

    private HttpResponse<String> get(String path, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path));
        headers.forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private void assertNothingSentUpstream() {
        assertThat(openaiUpstream.requests()).isEmpty();
        assertThat(claudeUpstream.requests()).isEmpty();
    }
}
