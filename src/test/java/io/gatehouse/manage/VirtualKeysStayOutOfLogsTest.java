package io.gatehouse.manage;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.config.LoggingConfig;
import io.gatehouse.logging.LoggingSetup;
import io.gatehouse.pipeline.Json;
import io.gatehouse.provider.demo.DemoUpstream;
import io.gatehouse.store.StorageUrl;
import io.gatehouse.testing.FakeUpstream;
import io.gatehouse.testing.TestGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** At DEBUG, with the printer showing bodies, no log line holds a virtual key, a provider key or the management token. */
class VirtualKeysStayOutOfLogsTest extends TenancyTestSupport {
    private static final String PROJECT_KEY = "project-key-not-shaped-like-any-known-format-42";

    @AfterEach
    void restoreLogging() {
        LoggingSetup.apply(new LoggingConfig(null, null, null, null, null));
    }

    @Test
    void keysNeverReachTheLog() throws Exception {
        Path logFile = tempDir.resolve("gatehouse.log");
        LoggingSetup.apply(new LoggingConfig("DEBUG", "json", logFile.toString(), null, null));
        newStore(StorageUrl.Kind.SQLITE);
        FakeUpstream upstream = closeLater(FakeUpstream.start(vertx, new DemoUpstream.Options(0, PROJECT_KEY)));
        ObjectNode printer = Json.MAPPER.createObjectNode().put("log_body", true);
        TestGateway.Running gateway = start(gatewayOverStore()
                .provider("openai", "openai", upstream.baseUrl(), null)
                .interceptorConfig("printer", printer)
                .virtualKeys());
        String projectId = createProject(gateway, "logged", "{\"openai\":\"" + PROJECT_KEY + "\"}");
        String secret = createKey(gateway, "{\"project_id\":\"" + projectId + "\",\"max_requests\":1}").get("token").asText();
        String chat = "{\"model\":\"demo-gpt\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";
        assertThat(postJson(gateway.baseUrl() + "/v1/chat/completions", chat, Map.of("authorization", "Bearer " + secret)).statusCode()).isEqualTo(200);
        assertThat(postJson(gateway.baseUrl() + "/v1/chat/completions", chat, Map.of("authorization", "Bearer " + secret)).statusCode()).isEqualTo(429);
        manage(gateway, "GET", "/manage/projects", null, "wrong-token");

        String log = Files.readString(logFile, StandardCharsets.UTF_8);
        assertThat(log).contains("Tenancy store").doesNotContain(secret, PROJECT_KEY, MANAGEMENT_TOKEN);
    }
}
