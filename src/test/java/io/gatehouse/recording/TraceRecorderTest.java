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
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The trace recorder (seed 000/001) through a real gateway: a JSON file per call. */
class TraceRecorderTest extends GatewayTestSupport {
    private static final String UPSTREAM_KEY = "sk-trace-upstream-key-0123456789abcdef";
    private static final String CHAT = "{\"model\":\"demo-gpt\",\"messages\":[{\"role\":\"user\",\"content\":\"Trace me\"}]}";
    private static final String STREAM = "{\"model\":\"demo-gpt\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Trace my stream\"}]}";

    @TempDir
    Path temp;
    private Path dir;
    private FakeUpstream upstream;

    @BeforeEach
    void startUpstream() {
        dir = temp.resolve("traces");
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
                .interceptorConfig("trace", settings)
                .start();
    }

    private static ObjectNode settings() {
        return RecordedFiles.JSON.createObjectNode();
    }

    private JsonNode traceOf(HttpResponse<String> answer) {
        String requestId = answer.headers().firstValue("x-gatehouse-request-id").orElseThrow();
        List<Path> files = RecordedFiles.list(dir).stream()
                .filter(file -> file.getFileName().toString().endsWith("-" + requestId + ".json")).toList();
        assertThat(files).hasSize(1);
        assertThat(files.get(0).getFileName().toString()).startsWith("trace-");
        assertThat(RecordedFiles.permissions(files.get(0))).isEqualTo("rw-------");
        return RecordedFiles.json(files.get(0));
    }

    @Test
    void eachCallGetsAFileInTheSeedsShape() throws Exception {
        HttpResponse<String> plain;
        HttpResponse<String> streamed;
        try (TestGateway.Running gateway = gateway(settings())) {
            plain = postJson(gateway.baseUrl() + "/v1/chat/completions?a=1&a=2&b=x%20y", CHAT,
                    Map.of("authorization", "Bearer client-token-abcdefghijklmnopqrstuvwxyz"));
            streamed = postJson(gateway.baseUrl() + "/v1/chat/completions", STREAM, Map.of());
        }
        assertThat(RecordedFiles.list(dir)).hasSize(2);
        assertThat(RecordedFiles.permissions(dir)).isEqualTo("rwx------");

        JsonNode trace = traceOf(plain);
        assertThat(trace.path("trace_id").asText()).isEqualTo(plain.headers().firstValue("x-gatehouse-request-id").orElseThrow());
        assertThat(trace.path("timestamp").asText()).endsWith("Z");
        JsonNode request = trace.path("request");
        assertThat(request.path("method").asText()).isEqualTo("POST");
        assertThat(request.path("url").asText()).endsWith("/v1/chat/completions?a=1&a=2&b=x%20y");
        assertThat(request.path("headers").path("authorization").asText()).isEqualTo("[REDACTED]");
        assertThat(request.path("body").path("messages").get(0).path("content").asText()).isEqualTo("Trace me");
        assertThat(request.path("query_params")).isEqualTo(RecordedFiles.JSON.readTree("{\"a\":[\"1\",\"2\"],\"b\":\"x y\"}"));
        JsonNode response = trace.path("response");
        assertThat(response.path("status_code").asInt()).isEqualTo(200);
        assertThat(response.path("body")).isEqualTo(RecordedFiles.JSON.readTree(plain.body()));
        assertThat(response.path("chunks")).isEmpty();
        assertThat(response.path("is_streaming").asBoolean()).isFalse();
        assertThat(trace.path("duration_ms").asDouble()).isPositive();
        assertThat(trace.has("error")).isFalse();

        JsonNode streamResponse = traceOf(streamed).path("response");
        assertThat(streamResponse.path("is_streaming").asBoolean()).isTrue();
        assertThat(streamResponse.path("body").isNull()).isTrue();
        StringBuilder chunks = new StringBuilder();
        streamResponse.path("chunks").forEach(chunk -> chunks.append(chunk.asText()));
        assertThat(chunks.toString()).isEqualTo(streamed.body());
    }

    @Test
    void headersAndBodiesCanBeLeftOutOrCut() throws Exception {
        HttpResponse<String> lean;
        try (TestGateway.Running gateway = gateway(settings().put("include_headers", false).put("include_body", false))) {
            lean = postJson(gateway.baseUrl() + "/v1/chat/completions", CHAT, Map.of());
        }
        JsonNode trace = traceOf(lean);
        assertThat(trace.path("request").has("headers")).isFalse();
        assertThat(trace.path("request").has("body")).isFalse();
        assertThat(trace.path("response").has("body")).isFalse();

        HttpResponse<String> cut;
        try (TestGateway.Running gateway = gateway(settings().put("max_body_size", 10))) {
            cut = postJson(gateway.baseUrl() + "/v1/chat/completions", CHAT, Map.of());
        }
        JsonNode cutTrace = traceOf(cut);
        assertThat(cutTrace.path("request").path("body").asText()).isEqualTo("[TRUNCATED: " + CHAT.length() + " bytes]");
        assertThat(cutTrace.path("response").path("body").asText()).startsWith("[TRUNCATED: ");
    }

    @Test
    void aStreamsChunksAreKeptOnePerChunkWithTheirTextOrCutWhole() throws Exception {
        List<String> events = List.of(
                "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Grüße, \"}}]}\n\n",
                "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"日本 🙂\"}}]}\n\n",
                "data: [DONE]\n\n");
        upstream.on("POST", "/v1/chat/completions", FakeUpstream.sse(events, 5));
        HttpResponse<String> streamed;
        try (TestGateway.Running gateway = gateway(settings())) {
            streamed = postJson(gateway.baseUrl() + "/v1/chat/completions", STREAM, Map.of());
        }
        JsonNode chunks = traceOf(streamed).path("response").path("chunks");
        assertThat(chunks).extracting(JsonNode::asText).containsExactlyElementsOf(events);

        HttpResponse<String> cut;
        try (TestGateway.Running gateway = gateway(settings().put("max_body_size", 100))) {
            cut = postJson(gateway.baseUrl() + "/v1/chat/completions", STREAM, Map.of());
        }
        long bytes = String.join("", events).getBytes(StandardCharsets.UTF_8).length;
        assertThat(traceOf(cut).path("response").path("chunks")).extracting(JsonNode::asText)
                .containsExactly("[TRUNCATED: " + bytes + " bytes]");
    }

    @Test
    void aFailedCallHasAnErrorAndNoSecrets() throws Exception {
        upstream.on("POST", "/v1/chat/completions", FakeUpstream.sseThenCut(HttpRecorderTest.events(2), 0));
        HttpResponse<String> answer;
        try (TestGateway.Running gateway = gateway(settings())) {
            answer = postJson(gateway.baseUrl() + "/v1/chat/completions",
                    "{\"model\":\"demo-gpt\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"" + UPSTREAM_KEY + "\"}]}",
                    Map.of());
        }
        JsonNode trace = traceOf(answer);
        assertThat(trace.path("error").path("type").asText()).isEqualTo("upstream_broken");
        StringBuilder chunks = new StringBuilder();
        trace.path("response").path("chunks").forEach(chunk -> chunks.append(chunk.asText()));
        assertThat(chunks.toString()).isEqualTo(answer.body()).contains("\"error\"");
        assertThat(trace.toString()).doesNotContain(UPSTREAM_KEY);
    }
}
