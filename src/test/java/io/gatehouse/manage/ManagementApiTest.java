package io.gatehouse.manage;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.store.StorageUrl;
import io.gatehouse.testing.TestGateway;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The management API over a real SQLite store: its token check, its JSON errors, llm-proxy's routes and fields
 * with paging and usage, the audit of every action, and the OpenAPI document matching the routes served.
 */
class ManagementApiTest extends TenancyTestSupport {
    private TestGateway.Running gateway;

    @BeforeEach
    void start() throws Exception {
        newStore(StorageUrl.Kind.SQLITE);
        gateway = start(gatewayOverStore().provider("openai", "openai", "http://127.0.0.1:9", null));
    }

    @Test
    void aMissingOrWrongTokenIs401InJsonAndTheRightOneIsServed() throws Exception {
        HttpResponse<String> missing = manage(gateway, "GET", "/manage/projects", null, null);
        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(missing.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(json(missing).get("error").asText()).isEqualTo("missing or invalid Authorization header");

        HttpResponse<String> wrong = manage(gateway, "GET", "/manage/projects", null, MANAGEMENT_TOKEN + "x");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(json(wrong).get("error").asText()).isEqualTo("invalid management token");
        assertThat(wrong.body()).doesNotContain(MANAGEMENT_TOKEN);

        HttpResponse<String> right = manage(gateway, "GET", "/manage/projects", null);
        assertThat(right.statusCode()).isEqualTo(200);
        assertThat(json(right).isArray()).isTrue();

        // Failed logins are audited without waiting: give the writer a moment.
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            JsonNode failures = json(manage(gateway, "GET", "/manage/audit?action=manage.auth_failure", null)).get("events");
            assertThat(failures).hasSize(2);
            assertThat(failures.toString()).doesNotContain(MANAGEMENT_TOKEN);
        });
        assertThat(getUrl(gateway.baseUrl() + "/metrics").body()).contains("gatehouse_audit_shed_total 0.0");
    }

    @Test
    void withoutATokenTheApiIsDisabledWithAClearJsonAnswer() throws Exception {
        TestGateway.Running plain = start(TestGateway.builder().vertx(vertx).provider("openai", "openai", "http://127.0.0.1:9", null));
        HttpResponse<String> disabled = manage(plain, "GET", "/manage/projects", null);
        assertThat(disabled.statusCode()).isEqualTo(503);
        assertThat(disabled.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(json(disabled).get("error").asText()).contains("MANAGEMENT_TOKEN");
    }

    @Test
    void projectsKeepLlmProxysFieldsNeverShowAKeyAndCannotBeDeleted() throws Exception {
        HttpResponse<String> created = manage(gateway, "POST", "/manage/projects",
                "{\"name\":\"alpha\",\"api_key\":\"sk-alpha-0123456789abcdefgh\",\"provider_keys\":{\"anthropic\":\"sk-ant-alpha-0123456789\"}}");
        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode project = json(created);
        assertThat(project.get("is_active").asBoolean()).isTrue();
        assertThat(project.get("providers")).extracting(JsonNode::asText).containsExactly("anthropic", "openai");
        assertThat(created.body()).doesNotContain("sk-alpha", "sk-ant-alpha");
        String id = project.get("id").asText();

        assertThat(manage(gateway, "POST", "/manage/projects", "{\"name\":\"alpha\"}").statusCode()).isEqualTo(409);
        HttpResponse<String> masked = manage(gateway, "POST", "/manage/projects", "{\"name\":\"beta\",\"api_key\":\"sk-a...wxyz\"}");
        assertThat(masked.statusCode()).isEqualTo(400);
        assertThat(json(masked).get("error").asText()).contains("looks masked");
        HttpResponse<String> malformed = manage(gateway, "POST", "/manage/projects", "{\"name\":");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(malformed.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(manage(gateway, "POST", "/manage/projects", "{\"name\":42}").body()).contains("name must be a string");

        HttpResponse<String> delete = manage(gateway, "DELETE", "/manage/projects/" + id, null);
        assertThat(delete.statusCode()).isEqualTo(405);
        assertThat(delete.headers().firstValue("allow")).hasValue("GET, PATCH");

        HttpResponse<String> revokeWithoutDeactivating = manage(gateway, "PATCH", "/manage/projects/" + id, "{\"revoke_tokens\":true}");
        assertThat(revokeWithoutDeactivating.statusCode()).isEqualTo(400);
        assertThat(manage(gateway, "GET", "/manage/projects/nope", null).statusCode()).isEqualTo(404);
        assertThat(manage(gateway, "GET", "/manage/nothing-here", null).statusCode()).isEqualTo(404);
    }

    @Test
    void keysAreCreatedOnceListedWithPagingAndRevokedIdempotently() throws Exception {
        String projectId = createProject(gateway, "gamma", "{\"openai\":\"sk-gamma-0123456789abcdefgh\"}");
        List<String> secrets = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            JsonNode key = createKey(gateway, "{\"project_id\":\"" + projectId + "\",\"name\":\"key-" + i + "\",\"duration_minutes\":60,"
                    + "\"max_requests\":10,\"allowed_models\":[\"gpt-4o*\"],\"metadata\":{\"user\":\"ada\",\"team\":\"math\"}}");
            assertThat(key.get("token").asText()).startsWith("gh-").hasSize(46);
            assertThat(key.get("expires_at").asText()).isNotEmpty();
            secrets.add(key.get("token").asText());
        }
        HttpResponse<String> page = manage(gateway, "GET", "/manage/tokens?project_id=" + projectId + "&limit=2&offset=0", null);
        assertThat(page.headers().firstValue("x-total-count")).hasValue("3");
        assertThat(json(page)).hasSize(2);
        assertThat(json(manage(gateway, "GET", "/manage/tokens?search=key-1", null))).hasSize(1);
        JsonNode listed = json(page).get(0);
        assertThat(listed.get("metadata").get("team").asText()).isEqualTo("math");
        assertThat(listed.get("max_requests").asLong()).isEqualTo(10);
        for (String secret : secrets) {
            assertThat(page.body()).doesNotContain(secret);
        }

        String keyId = listed.get("id").asText();
        assertThat(manage(gateway, "GET", "/manage/tokens/" + keyId, null).body()).doesNotContain(secrets.toArray(String[]::new));
        assertThat(json(manage(gateway, "GET", "/manage/tokens/" + keyId + "/usage", null)).get("remaining").asLong()).isEqualTo(10);
        assertThat(manage(gateway, "DELETE", "/manage/tokens/" + keyId, null).statusCode()).isEqualTo(204);
        assertThat(manage(gateway, "DELETE", "/manage/tokens/" + keyId, null).statusCode()).isEqualTo(204);
        assertThat(json(manage(gateway, "GET", "/manage/tokens/" + keyId, null)).get("is_active").asBoolean()).isFalse();
        assertThat(json(manage(gateway, "PATCH", "/manage/tokens/" + keyId, "{\"is_active\":true}")).get("is_active").asBoolean()).isTrue();

        assertThat(manage(gateway, "POST", "/manage/tokens", "{\"project_id\":\"" + projectId + "\",\"duration_minutes\":0}").statusCode()).isEqualTo(400);
        assertThat(manage(gateway, "POST", "/manage/tokens", "{\"project_id\":\"missing\"}").statusCode()).isEqualTo(404);

        JsonNode counts = json(manage(gateway, "POST", "/manage/projects/" + projectId + "/tokens/revoke", null));
        assertThat(counts.get("revoked_count").asInt()).isEqualTo(3);
        assertThat(counts.get("total_tokens").asInt()).isEqualTo(3);
        manage(gateway, "PATCH", "/manage/projects/" + projectId, "{\"is_active\":false}");
        HttpResponse<String> inactive = manage(gateway, "POST", "/manage/tokens", "{\"project_id\":\"" + projectId + "\"}");
        assertThat(inactive.statusCode()).isEqualTo(403);
        assertThat(json(inactive).get("code").asText()).isEqualTo("project_inactive");

        JsonNode audit = json(manage(gateway, "GET", "/manage/audit?page_size=100", null));
        assertThat(audit.get("events").findValuesAsText("action")).contains("project.create", "token.create", "token.list",
                "token.revoke", "token.update", "token.revoke_batch", "project.update", "token.usage");
        assertThat(audit.get("pagination").get("total_count").asInt()).isGreaterThan(10);
        for (String secret : secrets) {
            assertThat(audit.toString()).doesNotContain(secret);
        }
        JsonNode verify = json(manage(gateway, "GET", "/manage/audit/verify", null));
        assertThat(verify.get("intact").asBoolean()).as(verify.toString()).isTrue();
    }

    @Test
    void theOpenApiDocumentIsValidAndDocumentsExactlyTheRoutesServed() throws Exception {
        HttpResponse<String> document = manage(gateway, "GET", "/manage/openapi.json", null, null);
        assertThat(document.statusCode()).isEqualTo(200);
        assertThat(document.headers().firstValue("content-type")).hasValue("application/json");
        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(document.body());
        assertThat(parsed.getMessages()).isEmpty();
        assertThat(parsed.getOpenAPI().getOpenapi()).startsWith("3.");

        List<String> documented = new ArrayList<>();
        parsed.getOpenAPI().getPaths().forEach((path, item) ->
                item.readOperationsMap().keySet().forEach(method -> documented.add(method.name() + " " + path)));
        assertThat(documented).containsExactlyInAnyOrderElementsOf(ManagementApi.documentedOperations());
    }
}
