package io.gatehouse.recording;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.testing.FakeUpstream;
import io.gatehouse.testing.GatewayTestSupport;
import io.gatehouse.testing.TestGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The message_logger through a real gateway: the seed's line shapes, credential redaction, its options. */
class MessageLoggerTest extends GatewayTestSupport {
    private static final String UPSTREAM_KEY = "sk-message-logger-upstream-key-0123456789";

    @TempDir
    Path temp;
    private Path dir;
    private FakeUpstream upstream;

    @BeforeEach
    void startUpstream() {
        dir = temp.resolve("messages");
        upstream = FakeUpstream.start(vertx);
    }

    @AfterEach
    void stopUpstream() {
        upstream.close();
    }

    private TestGateway.Running gateway(ObjectNode settings) {
        settings.put("directory", dir.toString());
        return TestGateway.builder()
                .provider("openai", "openai", upstream.baseUrl(), UPSTREAM_KEY)
                .interceptorConfig("message_logger", settings)
                .start();
    }

    private static ObjectNode settings() {
        return RecordedFiles.JSON.createObjectNode();
    }

    private static HttpResponse<String> chat(TestGateway.Running gateway, String messages, boolean stream) throws Exception {
        String body = "{\"model\":\"demo-gpt\",\"stream\":" + stream + ",\"messages\":" + messages + "}";
        return postJson(gateway.baseUrl() + "/v1/chat/completions", body, Map.of());
    }

    private List<JsonNode> log() {
        return RecordedFiles.lines(dir.resolve("message_log.jsonl"));
    }

    @Test
    void eachCallIsARequestLineAndAResponseLine() throws Exception {
        HttpResponse<String> answer;
        try (TestGateway.Running gateway = gateway(settings())) {
            answer = chat(gateway, "[{\"role\":\"user\",\"content\":\"Hello logger\"}]", false);
        }
        List<JsonNode> lines = log();
        assertThat(lines).hasSize(2);
        JsonNode request = lines.get(0);
        assertThat(request.path("direction").asText()).isEqualTo("request");
        assertThat(request.path("timestamp").asText()).endsWith("Z");
        assertThat(request.path("session_id").asText()).isEqualTo(answer.headers().firstValue("x-gatehouse-session-id").orElseThrow());
        assertThat(request.path("request").path("messages").get(0).path("content").asText()).isEqualTo("Hello logger");
        assertThat(request.path("model").asText()).isEqualTo("demo-gpt");
        assertThat(request.path("provider").asText()).isEqualTo("openai");
        assertThat(request.path("metadata").path("path").asText()).isEqualTo("/v1/chat/completions");
        assertThat(request.path("metadata").path("method").asText()).isEqualTo("POST");
        assertThat(request.path("metadata").path("is_streaming").asBoolean()).isFalse();
        JsonNode response = lines.get(1);
        assertThat(response.path("direction").asText()).isEqualTo("response");
        assertThat(response.path("response")).isEqualTo(RecordedFiles.JSON.readTree(answer.body()));
        assertThat(response.path("metadata").path("status_code").asInt()).isEqualTo(200);
        assertThat(response.path("metadata").path("duration_ms").asDouble()).isPositive();
        assertThat(response.path("request_id").asText()).isEqualTo(request.path("request_id").asText())
                .isEqualTo(answer.headers().firstValue("x-gatehouse-request-id").orElseThrow());
        assertThat(RecordedFiles.permissions(dir)).isEqualTo("rwx------");
        assertThat(RecordedFiles.permissions(dir.resolve("message_log.jsonl"))).isEqualTo("rw-------");
    }

    @Test
    void aStreamedResponseIsLoggedAsTheAssembledBody() throws Exception {
        try (TestGateway.Running gateway = gateway(settings())) {
            chat(gateway, "[{\"role\":\"user\",\"content\":\"Stream to the log\"}]", true);
        }
        JsonNode response = log().get(1).path("response");
        assertThat(response.path("object").asText()).isEqualTo("chat.completion");
        assertThat(response.path("choices").get(0).path("message").path("content").asText()).contains("Stream to the log");
    }

    @Test
    void credentialsInStringValuesAreRedacted() throws Exception {
        String secrets = "key sk-abcdefghijklmnopqrstuvwxyz012345, api_key=ABCDEFGHIJKLMNOPQRSTUVWX, "
                + "Authorization: Bearer abcdefghijklmnopqrstuvwxyz, AKIAABCDEFGHIJKLMNOP, password: hunter2hunter2, "
                + "gateway " + UPSTREAM_KEY;
        try (TestGateway.Running gateway = gateway(settings())) {
            chat(gateway, "[{\"role\":\"user\",\"content\":\"" + secrets + "\"}]", false);
        }
        String text = log().get(0).path("request").path("messages").get(0).path("content").asText();
        assertThat(text).doesNotContain("sk-abcdefghijklmnopqrstuvwxyz012345", "ABCDEFGHIJKLMNOPQRSTUVWX",
                        "abcdefghijklmnopqrstuvwxyz", "AKIAABCDEFGHIJKLMNOP", "hunter2hunter2", UPSTREAM_KEY)
                .contains("api_key=[REDACTED]", "Bearer [REDACTED]", "password: [REDACTED]");
        // The demo upstream echoes the message: the response line is redacted the same way.
        assertThat(RecordedFiles.text(dir.resolve("message_log.jsonl"))).doesNotContain("hunter2hunter2", UPSTREAM_KEY);
    }

    @Test
    void withoutCredentialRedactionOnlyKeysAreMasked() throws Exception {
        try (TestGateway.Running gateway = gateway(settings().put("redact_credentials", false))) {
            chat(gateway, "[{\"role\":\"user\",\"content\":\"password: hunter2hunter2 and " + UPSTREAM_KEY + "\"}]", false);
        }
        String text = log().get(0).path("request").path("messages").get(0).path("content").asText();
        assertThat(text).contains("password: hunter2hunter2").doesNotContain(UPSTREAM_KEY);
    }

    @Test
    void metadataAndSystemPromptsCanBeLeftOut() throws Exception {
        ObjectNode settings = settings().put("include_metadata", false).put("include_system_prompts", false).put("filename", "lean.jsonl");
        try (TestGateway.Running gateway = gateway(settings)) {
            chat(gateway, "[{\"role\":\"system\",\"content\":\"You are terse\"},{\"role\":\"user\",\"content\":\"Hi\"}]", false);
        }
        List<JsonNode> lines = RecordedFiles.lines(dir.resolve("lean.jsonl"));
        assertThat(lines).allSatisfy(line -> assertThat(line.has("metadata")).isFalse());
        JsonNode messages = lines.get(0).path("request").path("messages");
        assertThat(messages).hasSize(1);
        assertThat(messages.get(0).path("role").asText()).isEqualTo("user");
    }

    @Test
    void aFailedCallIsLoggedAsAnError() throws Exception {
        upstream.on("POST", "/v1/chat/completions", FakeUpstream.sseThenCut(HttpRecorderTest.events(2), 0));
        try (TestGateway.Running gateway = gateway(settings())) {
            chat(gateway, "[{\"role\":\"user\",\"content\":\"cut me\"}]", true);
        }
        List<JsonNode> lines = log();
        assertThat(lines).extracting(line -> line.path("direction").asText()).containsExactly("request", "response", "error");
        assertThat(lines.get(2).path("error_type").asText()).isEqualTo("upstream_broken");
        assertThat(lines.get(2).path("error_message").asText()).isNotBlank();
    }
}
