package io.gatehouse.feature;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.config.LimitsConfig;
import io.gatehouse.pipeline.Json;
import io.gatehouse.testing.FakeUpstream;
import io.gatehouse.testing.GatewayTestSupport;
import io.gatehouse.testing.TestGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Feature selection and its effects on a running gateway, observed at the fake upstreams. */
class FeaturesThroughGatewayTest extends GatewayTestSupport {
    private static final Duration WAIT = Duration.ofSeconds(5);

    private FakeUpstream openai;
    private FakeUpstream other;
    private TestGateway.Running gateway;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        for (FakeUpstream upstream : new FakeUpstream[]{openai, other}) {
            if (upstream != null) {
                upstream.close();
            }
        }
    }

    private static FeatureSettings settings(String model, Map<String, String> keys) {
        return new FeatureSettings(model, keys, null, null, null, null);
    }

    private void start(Map<String, FeatureSettings> features, LimitsConfig limits) {
        openai = FakeUpstream.start(vertx);
        other = FakeUpstream.start(vertx);
        TestGateway builder = TestGateway.builder()
                .provider("openai", "openai", openai.baseUrl(), "sk-gateway-openai")
                .provider("other", "openai", other.baseUrl(), "sk-gateway-other")
                .provider("anthropic", "anthropic", openai.baseUrl(), "sk-ant-gateway")
                .features(new FeaturesConfig(null, features));
        if (limits != null) {
            builder.limits(limits);
        }
        gateway = builder.start();
    }

    private HttpResponse<String> chat(String body, Map<String, String> headers) throws Exception {
        return postJson(gateway.baseUrl() + "/v1/chat/completions", body, headers);
    }

    private static String body(String metadataFeature) {
        String metadata = metadataFeature == null ? "" : ",\"metadata\":{\"feature\":\"" + metadataFeature + "\"}";
        return "{\"model\":\"client-model\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]" + metadata + "}";
    }

    /** Each feature moves its calls to a model of its own, so the upstream shows which feature was selected. */
    private static Map<String, FeatureSettings> namedByModel(String... names) {
        Map<String, FeatureSettings> features = new LinkedHashMap<>();
        for (String name : names) {
            features.put(name, settings("openai:model-of-" + name, null));
        }
        return features;
    }

    private String modelSeenUpstream() {
        return openai.takeRequest().bodyAsJson().getString("model");
    }

    @Test
    void theHeaderWinsOverBodyMetadataAndDefaultAppliesWhenNothingIsNamed() throws Exception {
        start(namedByModel("search", "chat", "default"), null);

        assertThat(chat(body("chat"), Map.of("x-gatehouse-feature", "search")).statusCode()).isEqualTo(200);
        assertThat(modelSeenUpstream()).isEqualTo("model-of-search");
        assertThat(chat(body("chat"), Map.of()).statusCode()).isEqualTo(200);
        assertThat(modelSeenUpstream()).isEqualTo("model-of-chat");
        assertThat(chat(body(null), Map.of()).statusCode()).isEqualTo(200);
        assertThat(modelSeenUpstream()).isEqualTo("model-of-default");
        assertThat(openai.lastRequest().header("x-gatehouse-feature")).as("control header stripped").isNull();
    }

    @Test
    void withoutADefaultFeatureAnUnnamedCallPassesUnchanged() throws Exception {
        start(namedByModel("search"), null);

        assertThat(chat(body(null), Map.of()).statusCode()).isEqualTo(200);
        assertThat(modelSeenUpstream()).isEqualTo("client-model");
    }

    @Test
    void anUnknownFeatureIsRefusedInOpenAisShapeNamingTheKnownOnes() throws Exception {
        start(namedByModel("search", "chat"), null);

        HttpResponse<String> response = chat(body(null), Map.of("x-gatehouse-feature", "serach"));

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = Json.MAPPER.readTree(response.body()).path("error");
        assertThat(error.path("message").asText()).contains("\"serach\"").contains("search, chat");
        assertThat(error.path("code").asText()).isEqualTo("unknown_feature");
        assertThat(openai.requests()).isEmpty();
    }

    @Test
    void anUnknownFeatureIsRefusedInAnthropicsShape() throws Exception {
        start(namedByModel("search"), null);

        HttpResponse<String> response = postJson(gateway.baseUrl() + "/anthropic/v1/messages",
                "{\"model\":\"claude\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],"
                        + "\"metadata\":{\"feature\":\"nope\"}}", Map.of());

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode json = Json.MAPPER.readTree(response.body());
        assertThat(json.path("type").asText()).isEqualTo("error");
        assertThat(json.at("/error/type").asText()).isEqualTo("invalid_request_error");
        assertThat(json.at("/error/message").asText()).contains("\"nope\"").contains("search");
    }

    @Test
    void aFeatureModelRoutesToItsProviderWithThatProvidersKey() throws Exception {
        start(Map.of("batch", settings("other:cheap-model", null)), null);

        assertThat(chat(body("batch"), Map.of()).statusCode()).isEqualTo(200);

        FakeUpstream.RecordedRequest seen = other.takeRequest();
        assertThat(seen.bodyAsJson().getString("model")).isEqualTo("cheap-model");
        assertThat(seen.header("authorization")).isEqualTo("Bearer sk-gateway-other");
        assertThat(openai.requests()).isEmpty();
    }

    @Test
    void aFeatureProviderKeyReplacesTheConfiguredCredential() throws Exception {
        start(Map.of("billing", settings(null, Map.of("openai", "sk-feature-billing-1234"))), null);

        assertThat(chat(body(null), Map.of("x-gatehouse-feature", "billing")).statusCode()).isEqualTo(200);

        assertThat(openai.takeRequest().header("authorization")).isEqualTo("Bearer sk-feature-billing-1234");
        String view = getUrl(gateway.baseUrl() + "/config").body();
        assertThat(view).doesNotContain("sk-feature-billing-1234").contains(io.gatehouse.pipeline.Secret.mask("sk-feature-billing-1234"));
    }

    @Test
    void aFeatureOnAProviderOfAnotherApiIsTranslatedOnTheUnifiedApiAndRefusedElsewhere() throws Exception {
        start(Map.of("claude", settings("anthropic:claude-x", null)), null);

        HttpResponse<String> translated = chat(body("claude"), Map.of());
        assertThat(translated.statusCode()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(translated.body()).path("object").asText()).isEqualTo("chat.completion");
        FakeUpstream.RecordedRequest sent = openai.takeRequest();
        assertThat(sent.path()).isEqualTo("/v1/messages");
        assertThat(sent.bodyAsJson().getString("model")).isEqualTo("claude-x");

        HttpResponse<String> passthrough = postJson(gateway.baseUrl() + "/v1/completions",
                "{\"model\":\"m\",\"prompt\":\"Hi\",\"metadata\":{\"feature\":\"claude\"}}", Map.of());
        assertThat(passthrough.statusCode()).isEqualTo(400);
        assertThat(Json.MAPPER.readTree(passthrough.body()).at("/error/message").asText()).contains("\"anthropic\"");
        assertThat(openai.requests()).hasSize(1);
    }

    @Test
    void aFeaturesBudgetRefusesItsSecondCallWhileOtherFeaturesPass() throws Exception {
        LimitsConfig.Constraint oneCall = new LimitsConfig.Constraint(null, List.of(),
                new LimitsConfig.RateLimit(1L, null, null, "minute"), null, null);
        Map<String, FeatureSettings> features = new LinkedHashMap<>();
        features.put("search", new FeatureSettings(null, null, Map.of("one-a-minute", oneCall), null, null, null));
        features.put("chat", settings(null, null));
        start(features, null);

        assertThat(chat(body("search"), Map.of()).statusCode()).isEqualTo(200);
        HttpResponse<String> refused = chat(body("search"), Map.of());
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.body()).contains("search/one-a-minute");
        for (int i = 0; i < 3; i++) {
            assertThat(chat(body("chat"), Map.of()).statusCode()).as("another feature's call").isEqualTo(200);
        }
        assertThat(chat(body(null), Map.of()).statusCode()).as("a call of no feature").isEqualTo(200);
    }

    @Test
    void limitsAndUsageCountTheSelectedFeature() throws Exception {
        LimitsConfig oneCallPerFeature = new LimitsConfig("memory", false, null, null, null, null, Map.of(),
                List.of(new LimitsConfig.Constraint("per-feature", List.of("feature"),
                        new LimitsConfig.RateLimit(1L, null, null, "minute"), null, null)));
        start(namedByModel("search", "default"), oneCallPerFeature);

        assertThat(chat(body(null), Map.of("x-gatehouse-feature", "search")).statusCode()).isEqualTo(200);
        assertThat(chat(body("search"), Map.of()).statusCode()).as("same feature, second call").isEqualTo(429);
        assertThat(chat(body(null), Map.of()).statusCode()).as("the default feature counts apart").isEqualTo(200);

        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode usage = Json.MAPPER.readTree(getUrl(gateway.baseUrl() + "/usage?group_by=feature").body());
            assertThat(usage.at("/groups/search/calls").asLong()).isEqualTo(1);
            assertThat(usage.at("/groups/default/calls").asLong()).isEqualTo(1);
        });
    }
}
