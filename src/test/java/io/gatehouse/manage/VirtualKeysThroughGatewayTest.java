package io.gatehouse.manage;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.PermissionDeniedException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.gatehouse.provider.demo.DemoUpstream;
import io.gatehouse.store.StorageUrl;
import io.gatehouse.testing.FakeUpstream;
import io.gatehouse.testing.TestGateway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A key's life as clients see it through the proxy, with the official SDKs and a fake provider that accepts only
 * the project's own provider keys: valid, then refused when revoked, expired, its project deactivated, or asked
 * for a model it may not use, each answer in the provider's error shape, and each refusal audited.
 */
class VirtualKeysThroughGatewayTest extends TenancyTestSupport {
    private static final String OPENAI_PROJECT_KEY = "sk-project-openai-0123456789abcdef";
    private static final String ANTHROPIC_PROJECT_KEY = "sk-ant-project-0123456789abcdef";

    private FakeUpstream openaiUpstream;
    private FakeUpstream anthropicUpstream;
    private TestGateway.Running gateway;
    private String projectId;

    @BeforeEach
    void start() throws Exception {
        newStore(StorageUrl.Kind.SQLITE);
        openaiUpstream = closeLater(FakeUpstream.start(vertx, new DemoUpstream.Options(0, OPENAI_PROJECT_KEY)));
        anthropicUpstream = closeLater(FakeUpstream.start(vertx, new DemoUpstream.Options(0, ANTHROPIC_PROJECT_KEY)));
        gateway = start(gatewayOverStore()
                .provider("openai", "openai", openaiUpstream.baseUrl(), null)
                .provider("anthropic", "anthropic", anthropicUpstream.baseUrl(), null)
                .virtualKeys());
        projectId = createProject(gateway, "tutoring", "{\"openai\":\"" + OPENAI_PROJECT_KEY + "\",\"anthropic\":\"" + ANTHROPIC_PROJECT_KEY + "\"}");
    }

    @Test
    void aValidKeyWorksFromBothSdksAndNeverReachesTheProvider() throws Exception {
        String secret = createKey(gateway, "{\"project_id\":\"" + projectId + "\",\"name\":\"app\",\"metadata\":{\"user\":\"ada\"}}")
                .get("token").asText();
        assertThat(secret).startsWith("gh-");

        ChatCompletion completion = openai(secret).chat().completions().create(ChatCompletionCreateParams.builder()
                .model("demo-gpt").addUserMessage("Hello").build());
        assertThat(completion.choices()).isNotEmpty();
        FakeUpstream.RecordedRequest toOpenAi = openaiUpstream.lastRequest();
        assertThat(toOpenAi.header("authorization")).isEqualTo("Bearer " + OPENAI_PROJECT_KEY);
        assertThat(toOpenAi.headers().toString()).doesNotContain(secret);

        AnthropicClient anthropic = AnthropicOkHttpClient.builder().baseUrl(gateway.baseUrl() + "/anthropic").apiKey(secret).build();
        Message message = anthropic.messages().create(MessageCreateParams.builder()
                .model("demo-claude").maxTokens(50).addUserMessage("Hello").build());
        assertThat(message.content()).isNotEmpty();
        FakeUpstream.RecordedRequest toAnthropic = anthropicUpstream.lastRequest();
        assertThat(toAnthropic.header("x-api-key")).isEqualTo(ANTHROPIC_PROJECT_KEY);
        assertThat(toAnthropic.headers().toString()).doesNotContain(secret);
    }

    @Test
    void missingAndUnknownKeysAre401InTheProvidersShapeAndAudited() throws Exception {
        HttpResponse<String> missing = postJson(gateway.baseUrl() + "/v1/chat/completions", chat("demo-gpt"), Map.of());
        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(missing.headers().firstValue("content-type")).hasValueSatisfying(type -> assertThat(type).contains("json"));
        assertThat(json(missing).at("/error/code").asText()).isEqualTo("missing_api_key");

        String wrong = "gh-" + "x".repeat(43);
        HttpResponse<String> unknown = postJson(gateway.baseUrl() + "/anthropic/v1/messages", "{\"model\":\"demo-claude\",\"max_tokens\":5,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", Map.of("x-api-key", wrong, "anthropic-version", "2023-06-01"));
        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(json(unknown).get("type").asText()).isEqualTo("error");
        assertThat(json(unknown).at("/error/type").asText()).isEqualTo("authentication_error");
        assertThat(openaiUpstream.requests()).isEmpty();
        assertThat(anthropicUpstream.requests()).isEmpty();

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            JsonNode events = json(manage(gateway, "GET", "/manage/audit?action=auth.failure", null)).get("events");
            assertThat(events).hasSize(2);
            assertThat(events.findValuesAsText("outcome")).containsOnly("denied");
            assertThat(events.findValuesAsText("client_ip")).containsOnly("127.0.0.1");
            assertThat(events.toString()).contains("missing_api_key", "invalid_api_key").doesNotContain(wrong);
        });
    }

    @Test
    void revokedExpiredDeactivatedAndWrongModelAreRefusedAtOnce() throws Exception {
        String revoked = secretFor("{\"project_id\":\"" + projectId + "\"}");
        assertThat(call(revoked, "demo-gpt").statusCode()).isEqualTo(200);
        String revokedId = keyIdOf(revoked);
        assertThat(manage(gateway, "DELETE", "/manage/tokens/" + revokedId, null).statusCode()).isEqualTo(204);
        assertThat(errorCode(call(revoked, "demo-gpt"))).isEqualTo("key_revoked");
        assertThatThrownBy(() -> openai(revoked).chat().completions().create(ChatCompletionCreateParams.builder()
                .model("demo-gpt").addUserMessage("Hello").build())).isInstanceOf(UnauthorizedException.class);

        String expiring = secretFor("{\"project_id\":\"" + projectId + "\",\"duration_minutes\":60}");
        try (Connection connection = store.rawConnection();
             PreparedStatement expire = connection.prepareStatement("UPDATE virtual_keys SET expires_at = ? WHERE id = ?")) {
            expire.setLong(1, System.currentTimeMillis() - 1000);
            expire.setString(2, keyIdOf(expiring));
            expire.executeUpdate();
        }
        assertThat(errorCode(call(expiring, "demo-gpt"))).isEqualTo("key_expired");

        String modelBound = secretFor("{\"project_id\":\"" + projectId + "\",\"allowed_models\":[\"demo-g*\"]}");
        assertThat(call(modelBound, "demo-gpt").statusCode()).isEqualTo(200);
        HttpResponse<String> wrongModel = call(modelBound, "gpt-4o");
        assertThat(wrongModel.statusCode()).isEqualTo(403);
        assertThat(errorCode(wrongModel)).isEqualTo("model_not_allowed");

        String live = secretFor("{\"project_id\":\"" + projectId + "\"}");
        assertThat(call(live, "demo-gpt").statusCode()).isEqualTo(200);
        assertThat(manage(gateway, "PATCH", "/manage/projects/" + projectId, "{\"is_active\":false}").statusCode()).isEqualTo(200);
        HttpResponse<String> deactivated = call(live, "demo-gpt");
        assertThat(deactivated.statusCode()).isEqualTo(403);
        assertThat(errorCode(deactivated)).isEqualTo("project_inactive");
        assertThatThrownBy(() -> openai(live).chat().completions().create(ChatCompletionCreateParams.builder()
                .model("demo-gpt").addUserMessage("Hello").build())).isInstanceOf(PermissionDeniedException.class);

        assertThat(manage(gateway, "PATCH", "/manage/projects/" + projectId, "{\"is_active\":true}").statusCode()).isEqualTo(200);
        assertThat(call(live, "demo-gpt").statusCode()).isEqualTo(200);
    }

    @Test
    void aProjectWithoutAKeyForTheProviderIsRefusedRatherThanSentWithoutCredentials() throws Exception {
        String otherProject = createProject(gateway, "openai-only", "{\"openai\":\"" + OPENAI_PROJECT_KEY + "\"}");
        String secret = secretFor("{\"project_id\":\"" + otherProject + "\"}");
        HttpResponse<String> refused = postJson(gateway.baseUrl() + "/anthropic/v1/messages", "{\"model\":\"demo-claude\",\"max_tokens\":5,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", Map.of("x-api-key", secret, "anthropic-version", "2023-06-01"));
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(json(refused).at("/error/message").asText()).contains("no key for provider 'anthropic'");
        assertThat(anthropicUpstream.requests()).isEmpty();
    }

    @Test
    void neitherTheLogsNorTheAuditLogHoldAKey() throws Exception {
        String secret = secretFor("{\"project_id\":\"" + projectId + "\"}");
        assertThat(call(secret, "demo-gpt").statusCode()).isEqualTo(200);
        manage(gateway, "DELETE", "/manage/tokens/" + keyIdOf(secret), null);
        assertThat(call(secret, "demo-gpt").statusCode()).isEqualTo(401);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(json(manage(gateway, "GET", "/manage/audit?action=auth.failure", null)).get("events")).hasSize(1));

        String audit = manage(gateway, "GET", "/manage/audit?page_size=100", null).body();
        String auditFile = Files.readString(tempDir.resolve("data/audit.jsonl"));
        for (String text : new String[] {audit, auditFile}) {
            assertThat(text).contains("token.create", "token.revoke", "auth.failure")
                    .doesNotContain(secret, OPENAI_PROJECT_KEY, ANTHROPIC_PROJECT_KEY, MANAGEMENT_TOKEN);
        }
    }

    @Test
    void usageIsGroupedByTheKeysProjectAndItsUserOverWhatTheClientClaims() throws Exception {
        String secret = secretFor("{\"project_id\":\"" + projectId + "\",\"name\":\"app\",\"metadata\":{\"user\":\"ada\"}}");
        String claimsAnotherUser = "{\"model\":\"demo-gpt\",\"metadata\":{\"user_id\":\"mallory\"},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}";
        assertThat(postJson(gateway.baseUrl() + "/v1/chat/completions", claimsAnotherUser,
                Map.of("authorization", "Bearer " + secret)).statusCode()).isEqualTo(200);

        await().untilAsserted(() -> {
            JsonNode byProject = json(getJson(gateway.baseUrl() + "/usage?group_by=project"));
            assertThat(byProject.toString()).contains(projectId);
        });
        JsonNode byUser = json(getJson(gateway.baseUrl() + "/usage?group_by=user"));
        assertThat(byUser.toString()).contains("ada").doesNotContain("mallory");
        assertThat(json(getJson(gateway.baseUrl() + "/usage?group_by=key")).toString()).contains(keyIdOf(secret));
    }

    private HttpResponse<String> getJson(String url) throws Exception {
        return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private OpenAIClient openai(String secret) {
        return OpenAIOkHttpClient.builder().baseUrl(gateway.baseUrl() + "/v1").apiKey(secret).maxRetries(0).build();
    }

    private String secretFor(String body) throws Exception {
        return createKey(gateway, body).get("token").asText();
    }

    /** The key's id, found by the display prefix the listing shows. */
    private String keyIdOf(String secret) throws Exception {
        for (JsonNode key : json(manage(gateway, "GET", "/manage/tokens?project_id=" + projectId + "&limit=500", null))) {
            if (key.get("token").asText().equals(secret.substring(0, 9) + "****")) {
                return key.get("id").asText();
            }
        }
        throw new AssertionError("no key listed with the secret's prefix");
    }

    private HttpResponse<String> call(String secret, String model) throws Exception {
        return postJson(gateway.baseUrl() + "/v1/chat/completions", chat(model), Map.of("authorization", "Bearer " + secret));
    }

    private static String chat(String model) {
        return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}";
    }

    private static String errorCode(HttpResponse<String> response) throws Exception {
        return json(response).at("/error/code").asText();
    }
}
