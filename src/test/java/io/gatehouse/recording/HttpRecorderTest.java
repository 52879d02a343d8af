package io.gatehouse.recording;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.config.ProviderConfig;
import io.gatehouse.testing.FakeUpstream;
import io.gatehouse.testing.GatewayTestSupport;
import io.gatehouse.testing.TestGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The http_recorder through a real gateway: the replay contract, redaction, permissions, rotation. */
class HttpRecorderTest extends GatewayTestSupport {
    private static final String UPSTREAM_KEY = "sk-gatehouse-upstream-key-0123456789abcdef";
    private static final String CHAT = "{\"model\":\"demo-gpt\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello there\"}]}";
    private static final String STREAM = "{\"model\":\"demo-gpt\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Stream me\"}]}";

    @TempDir
    Path temp;
    private Path dir;
    private FakeUpstream upstream;

    @BeforeEach
    void startUpstream() {
        dir = temp.resolve("recordings/http");
        upstream = FakeUpstream.start(vertx);
    }

    @AfterEach
    void stopUpstream() {
        upstream.close();
    }

    private TestGateway.Running gateway(ObjectNode settings) {
        return gateway(settings, upstream.baseUrl());
    }

    private TestGateway.Running gateway(ObjectNode settings, String baseUrl) {
        settings.put("output_dir", dir.toString());
        return TestGateway.builder()
                .provider(new ProviderConfig("openai", "openai", baseUrl, UPSTREAM_KEY, null, 2.0, null, 0))
                .interceptorConfig("http_recorder", settings)
                .start();
    }

    private static ObjectNode settings() {
        return RecordedFiles.JSON.createObjectNode();
    }

    @Test
    void plainAndStreamedCallsAreRecordedAsRequestAndResponsePairs() throws Exception {
        HttpResponse<String> plain;
        HttpResponse<String> streamed;
        int port;
        try (TestGateway.Running gateway = gateway(settings())) {
            port = gateway.port();
            plain = postJson(gateway.baseUrl() + "/v1/chat/completions?trace=1", CHAT,
                    Map.of("authorization", "Bearer client-token-abcdefghijklmnopqrstuvwxyz", "x-custom", "kept"));
            streamed = postJson(gateway.baseUrl() + "/v1/chat/completions", STREAM, Map.of("x-api-key", "client-own-key-123456"));
        }
        assertThat(plain.statusCode()).isEqualTo(200);
        assertThat(streamed.statusCode()).isEqualTo(200);
        Map<String, Map<String, JsonNode>> calls = RecordedFiles.byRequestId(RecordedFiles.recordings(dir));
        assertThat(calls).hasSize(2);

        String plainId = plain.headers().firstValue("x-gatehouse-request-id").orElseThrow();
        Map<String, JsonNode> plainCall = calls.get(plainId);
        assertThat(plainCall).containsOnlyKeys("request", "response");
        JsonNode request = plainCall.get("request");
        assertThat(request.path("method").asText()).isEqualTo("POST");
        assertThat(request.path("url").asText()).isEqualTo("http://127.0.0.1:" + port + "/v1/chat/completions?trace=1");
        assertThat(request.path("path").asText()).isEqualTo("/v1/chat/completions");
        assertThat(request.path("query").asText()).isEqualTo("trace=1");
        assertThat(request.path("headers").path("authorization").asText()).isEqualTo("[REDACTED]");
        assertThat(request.path("headers").path("x-custom").asText()).isEqualTo("kept");
        assertThat(request.path("body").path("type").asText()).isEqualTo("json");
        assertThat(request.path("body").path("size").asInt()).isEqualTo(CHAT.length());
        assertThat(request.path("body").path("content").path("messages").get(0).path("content").asText()).isEqualTo("Hello there");
        assertThat(request.path("session_id").asText()).isEqualTo(plain.headers().firstValue("x-gatehouse-session-id").orElseThrow());
        assertThat(request.path("agent_id").asText()).isEqualTo(plain.headers().firstValue("x-gatehouse-agent-id").orElseThrow());
        assertThat(request.path("provider").asText()).isEqualTo("openai");
        assertThat(request.path("model").asText()).isEqualTo("demo-gpt");
        assertThat(request.path("is_streaming").asBoolean()).isFalse();
        assertThat(request.path("start_time").isDouble()).isTrue();
        assertThat(request.path("timestamp").asText()).endsWith("Z");

        JsonNode response = plainCall.get("response");
        assertThat(response.path("status_code").asInt()).isEqualTo(200);
        assertThat(response.path("headers").path("content-type").asText()).contains("application/json");
        assertThat(response.path("headers").path("x-gatehouse-request-id").asText()).isEqualTo(plainId);
        assertThat(response.path("body").path("type").asText()).isEqualTo("json");
        assertThat(response.path("body").path("content")).isEqualTo(RecordedFiles.JSON.readTree(plain.body()));
        assertThat(response.path("is_streaming").asBoolean()).isFalse();
        assertThat(response.path("duration_ms").asDouble()).isPositive();
        assertThat(response.path("end_time").asDouble()).isGreaterThanOrEqualTo(request.path("start_time").asDouble());

        Map<String, JsonNode> streamCall = calls.get(streamed.headers().firstValue("x-gatehouse-request-id").orElseThrow());
        assertThat(streamCall.get("request").path("is_streaming").asBoolean()).isTrue();
        assertThat(streamCall.get("request").path("headers").path("x-api-key").asText()).isEqualTo("[REDACTED]");
        JsonNode streamBody = streamCall.get("response").path("body");
        assertThat(streamBody.path("type").asText()).isEqualTo("text");
        assertThat(streamBody.path("content").asText()).isEqualTo(streamed.body()).contains("data: [DONE]");
        assertThat(streamBody.path("size").asInt()).isEqualTo(streamed.body().getBytes(StandardCharsets.UTF_8).length);
        assertThat(streamCall.get("response").path("is_streaming").asBoolean()).isTrue();
    }

    @Test
    void anUnreachableUpstreamIsRecordedAsAnErrorWithTheStatusTheClientGot() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        HttpResponse<String> answer;
        try (TestGateway.Running gateway = gateway(settings(), "http://127.0.0.1:" + closedPort)) {
            answer = postJson(gateway.baseUrl() + "/v1/chat/completions", CHAT, Map.of());
        }
        assertThat(answer.statusCode()).isEqualTo(502);
        Map<String, JsonNode> call = RecordedFiles.byRequestId(RecordedFiles.recordings(dir))
                .get(answer.headers().firstValue("x-gatehouse-request-id").orElseThrow());
        assertThat(call).containsOnlyKeys("request", "error");
        JsonNode error = call.get("error");
        assertThat(error.path("status_code").asInt()).isEqualTo(502);
        assertThat(error.path("error_type").asText()).isNotBlank();
        assertThat(error.path("error_message").asText()).isNotBlank();
        assertThat(error.path("method").asText()).isEqualTo("POST");
        assertThat(error.path("path").asText()).isEqualTo("/v1/chat/completions");
    }

    @Test
    void aStreamCutMidwayHasItsResponseAndThenAnError() throws Exception {
        upstream.on("POST", "/v1/chat/completions", FakeUpstream.sseThenCut(events(3), 0));
        HttpResponse<String> answer;
        try (TestGateway.Running gateway = gateway(settings())) {
            answer = postJson(gateway.baseUrl() + "/v1/chat/completions", STREAM, Map.of());
        }
        Map<String, JsonNode> call = RecordedFiles.byRequestId(RecordedFiles.recordings(dir))
                .get(answer.headers().firstValue("x-gatehouse-request-id").orElseThrow());
        assertThat(call).containsOnlyKeys("request", "response", "error");
        assertThat(call.get("response").path("body").path("content").asText()).isEqualTo(answer.body());
        assertThat(call.get("error").path("error_type").asText()).isEqualTo("upstream_broken");
        assertThat(call.get("error").path("status_code").asInt()).isEqualTo(200);
    }

    @Test
    void aClientThatLeavesIsRecordedAsAborted() throws Exception {
        upstream.on("POST", "/v1/chat/completions", FakeUpstream.sse(events(200), 20));
        try (TestGateway.Running gateway = gateway(settings())) {
            try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
                byte[] body = STREAM.getBytes(StandardCharsets.UTF_8);
                OutputStream out = socket.getOutputStream();
                out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                        + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                out.flush();
                BufferedReader reader = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
                for (String line; (line = reader.readLine()) != null; ) {
                    if (line.startsWith("data:")) {
                        break;
                    }
                }
            }
            upstream.awaitConnectionClosedAfter(upstream.takeRequest(), java.time.Duration.ofSeconds(5));
        }
        Map<String, JsonNode> call = RecordedFiles.byRequestId(RecordedFiles.recordings(dir)).values().iterator().next();
        assertThat(call).containsKeys("request", "error");
        assertThat(call.get("error").path("error_type").asText()).isEqualTo("client_aborted");
        assertThat(call.get("error").path("status_code").asInt()).isEqualTo(200);
    }

    @Test
    void secretsNeverReachTheRecording() throws Exception {
        String message = "{\"model\":\"demo-gpt\",\"messages\":[{\"role\":\"user\",\"content\":\"keys: " + UPSTREAM_KEY
                + " and sk-proj-clientSideSecret0123456789 and AKIAABCDEFGHIJKLMNOP\"}]}";
        try (TestGateway.Running gateway = gateway(settings())) {
            assertThat(postJson(gateway.baseUrl() + "/v1/chat/completions", message,
                    Map.of("authorization", "Bearer sk-client-bearer-0123456789abcdefgh",
                            "x-api-key", "client-x-api-key-0123456789", "cookie", "session=abcdef"))
                    .statusCode()).isEqualTo(200);
        }
        assertThat(upstream.lastRequest().header("authorization")).isEqualTo("Bearer " + UPSTREAM_KEY);
        String recorded = RecordedFiles.text(dir.resolve("recording_001.jsonl"));
        assertThat(recorded).doesNotContain(UPSTREAM_KEY, "sk-proj-clientSideSecret0123456789", "AKIAABCDEFGHIJKLMNOP",
                "sk-client-bearer-0123456789abcdefgh", "client-x-api-key-0123456789", "session=abcdef");
        JsonNode request = RecordedFiles.lines(dir.resolve("recording_001.jsonl")).get(0);
        assertThat(request.path("body").path("content").path("messages").get(0).path("content").asText())
                .contains("****cdef", "****6789");
        assertThat(request.path("headers").path("cookie").asText()).isEqualTo("[REDACTED]");
    }

    @Test
    void withoutHeaderRedactionKeyShapedValuesAreStillMasked() throws Exception {
        try (TestGateway.Running gateway = gateway(settings().put("redact_sensitive_headers", false))) {
            postJson(gateway.baseUrl() + "/v1/chat/completions", CHAT,
                    Map.of("authorization", "Bearer sk-client-bearer-0123456789abcdefgh", "cookie", "theme=dark"));
        }
        JsonNode headers = RecordedFiles.lines(dir.resolve("recording_001.jsonl")).get(0).path("headers");
        assertThat(headers.path("cookie").asText()).isEqualTo("theme=dark");
        assertThat(headers.path("authorization").asText()).startsWith("Bearer ****").doesNotContain("0123456789abcdefgh");
    }

    @Test
    void filesAreOwnerOnlyFromTheStart() throws Exception {
        try (TestGateway.Running gateway = gateway(settings())) {
            assertThat(RecordedFiles.permissions(dir)).isEqualTo("rwx------");
            assertThat(RecordedFiles.permissions(dir.getParent())).isEqualTo("rwx------");
            postJson(gateway.baseUrl() + "/v1/chat/completions", CHAT, Map.of());
        }
        assertThat(RecordedFiles.permissions(dir.resolve("recording_001.jsonl"))).isEqualTo("rw-------");
    }

    @Test
    void filesRotateAfterMaxEventsAndAResumedRecorderFillsTheLastOne() throws Exception {
        try (TestGateway.Running gateway = gateway(settings().put("max_events_per_file", 3))) {
            for (int i = 0; i < 2; i++) {
                postJson(gateway.baseUrl() + "/v1/chat/completions", CHAT, Map.of());
            }
        }
        assertThat(RecordedFiles.lines(dir.resolve("recording_001.jsonl"))).hasSize(3);
        assertThat(RecordedFiles.lines(dir.resolve("recording_002.jsonl"))).hasSize(1);

        try (TestGateway.Running gateway = gateway(settings().put("max_events_per_file", 3))) {
            for (int i = 0; i < 2; i++) {
                postJson(gateway.baseUrl() + "/v1/chat/completions", CHAT, Map.of());
            }
        }
        assertThat(RecordedFiles.lines(dir.resolve("recording_002.jsonl"))).hasSize(3);
        assertThat(RecordedFiles.lines(dir.resolve("recording_003.jsonl"))).hasSize(2);
        assertThat(RecordedFiles.list(dir)).extracting(path -> path.getFileName().toString())
                .containsExactly("recording_001.jsonl", "recording_002.jsonl", "recording_003.jsonl");
        Map<String, Map<String, JsonNode>> calls = RecordedFiles.byRequestId(RecordedFiles.recordings(dir));
        assertThat(calls).hasSize(4).allSatisfy((id, records) -> assertThat(records).containsOnlyKeys("request", "response"));
    }

    @Test
    void bodiesOverTheLimitKeepTheirSizeAndAMarker() throws Exception {
        String big = "{\"model\":\"demo-gpt\",\"messages\":[{\"role\":\"user\",\"content\":\"" + "x".repeat(2_000) + "\"}]}";
        try (TestGateway.Running gateway = gateway(settings().put("max_body_size_mb", 0.001))) {
            postJson(gateway.baseUrl() + "/v1/chat/completions", big, Map.of());
        }
        JsonNode body = RecordedFiles.lines(dir.resolve("recording_001.jsonl")).get(0).path("body");
        assertThat(body.path("size").asInt()).isEqualTo(big.length());
        assertThat(body.path("type").asText()).isEqualTo("json");
        assertThat(body.path("truncated").asBoolean()).isTrue();
        assertThat(body.path("content").asText()).isEqualTo("[TRUNCATED: " + big.length() + " bytes]");
    }

    @Test
    void theRecorderCountsWhatItWrote() throws Exception {
        String metrics;
        try (TestGateway.Running gateway = gateway(settings())) {
            postJson(gateway.baseUrl() + "/v1/chat/completions", CHAT, Map.of());
            metrics = gateway.gateway().metrics().scrape();
        }
        assertThat(metrics).contains("gatehouse_recorder_dropped_total{recorder=\"http_recorder\"} 0.0");
        assertThat(Files.exists(dir.resolve("recording_001.jsonl"))).isTrue();
    }

    static List<String> events(int count) {
        return IntStream.range(0, count)
                .mapToObj(i -> "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"t" + i + "\"}}]}\n\n").toList();
    }
}
