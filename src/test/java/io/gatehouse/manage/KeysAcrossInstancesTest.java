package io.gatehouse.manage;

import io.gatehouse.provider.demo.DemoUpstream;
import io.gatehouse.store.StorageUrl;
import io.gatehouse.testing.FakeUpstream;
import io.gatehouse.testing.TestGateway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two gateway instances sharing the real PostgreSQL and Redis: the lifetime quota holds exactly under concurrent
 * load through the proxy, and a revocation or deactivation made on one instance is enforced by the other within
 * a second, although the other had the key cached.
 */
class KeysAcrossInstancesTest extends TenancyTestSupport {
    private static final String PROJECT_KEY = "sk-project-openai-0123456789abcdef";

    private TestGateway.Running first;
    private TestGateway.Running second;
    private String projectId;

    @BeforeEach
    void start() throws Exception {
        newStore(StorageUrl.Kind.POSTGRESQL);
        FakeUpstream upstream = closeLater(FakeUpstream.start(vertx, new DemoUpstream.Options(0, PROJECT_KEY)));
        first = start(instance(upstream));
        second = start(instance(upstream));
        projectId = createProject(first, "shared", "{\"openai\":\"" + PROJECT_KEY + "\"}");
    }

    private TestGateway instance(FakeUpstream upstream) {
        return gatewayOverStore()
                .provider("openai", "openai", upstream.baseUrl(), null)
                .virtualKeys()
                .redis("redis://127.0.0.1:6379");
    }

    @Test
    void fiftyOfAHundredConcurrentRequestsPassAKeyAllowedFifty() throws Exception {
        String secret = createKey(first, "{\"project_id\":\"" + projectId + "\",\"max_requests\":50}").get("token").asText();
        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            TestGateway.Running target = i % 2 == 0 ? first : second;
            responses.add(HTTP.sendAsync(HttpRequest.newBuilder(URI.create(target.baseUrl() + "/v1/chat/completions"))
                    .header("content-type", "application/json")
                    .header("authorization", "Bearer " + secret)
                    .POST(HttpRequest.BodyPublishers.ofString(chat())).build(), HttpResponse.BodyHandlers.ofString()));
        }
        List<Integer> statuses = responses.stream().map(CompletableFuture::join).map(HttpResponse::statusCode).toList();
        assertThat(statuses).filteredOn(status -> status == 200).hasSize(50);
        assertThat(statuses).filteredOn(status -> status == 429).hasSize(50);
        String keyId = json(manage(first, "GET", "/manage/tokens?project_id=" + projectId, null)).get(0).get("id").asText();
        assertThat(json(manage(second, "GET", "/manage/tokens/" + keyId + "/usage", null)).get("remaining").asLong()).isZero();
    }

    @Test
    void aRevocationOnOneInstanceIsEnforcedByTheOtherWithinASecond() throws Exception {
        String secret = createKey(first, "{\"project_id\":\"" + projectId + "\"}").get("token").asText();
        assertThat(call(second, secret).statusCode()).isEqualTo(200);
        String keyId = json(manage(first, "GET", "/manage/tokens?project_id=" + projectId, null)).get(0).get("id").asText();

        assertThat(manage(first, "DELETE", "/manage/tokens/" + keyId, null).statusCode()).isEqualTo(204);
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20))
                .until(() -> call(second, secret).statusCode() == 401);
    }

    @Test
    void aDeactivationOnOneInstanceStopsTheProjectsKeysOnTheOtherWithinASecond() throws Exception {
        String secret = createKey(first, "{\"project_id\":\"" + projectId + "\"}").get("token").asText();
        assertThat(call(second, secret).statusCode()).isEqualTo(200);

        assertThat(manage(first, "PATCH", "/manage/projects/" + projectId, "{\"is_active\":false}").statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20))
                .until(() -> call(second, secret).statusCode() == 403);
    }

    private static HttpResponse<String> call(TestGateway.Running gateway, String secret) throws Exception {
        return postJson(gateway.baseUrl() + "/v1/chat/completions", chat(), Map.of("authorization", "Bearer " + secret));
    }

    private static String chat() {
        return "{\"model\":\"demo-gpt\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}";
    }
}
