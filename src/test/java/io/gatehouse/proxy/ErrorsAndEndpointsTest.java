package io.gatehouse.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.pipeline.Json;
import io.gatehouse.testing.FakeUpstream;
import io.gatehouse.testing.GatewayTestSupport;
import io.gatehouse.testing.TestGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ErrorsAndEndpointsTest extends GatewayTestSupport {
    private static final String OPENAI_KEY = "sk-test-openai-secret-7777";
    private static final String ANTHROPIC_KEY = "sk-ant-test-secret-8888";
    private FakeUpstream upstream;
    private TestGateway.Running gateway;
    private int deadPort;

    @BeforeEach
    void start() throws Exception {
        upstream = FakeUpstream.start(vertx);
        try (ServerSocket socket = new ServerSocket(0)) {
            deadPort = socket.getLocalPort();
        }
        gateway = TestGateway.builder()
                .provider("openai", "openai", upstream.baseUrl(), OPENAI_KEY)
                .provider("anthropic", "anthropic", upstream.baseUrl(), ANTHROPIC_KEY)
                .provider(new io.gatehouse.config.ProviderConfig("down", "openai", "http://127.0.0.1:" + deadPort,
                        null, null, null, null, 1))
                .maxBodyBytes(64 * 1024)
                .start();
    }

    @AfterEach
    void stop() {
        gateway.close();
        upstream.close();
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return postJson(gateway.baseUrl() + path, body, Map.of());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return getUrl(gateway.baseUrl() + path);
    }

    @Test
    void malformedJsonIsA400InOpenAisShapeAndNeverReachesUpstream() throws Exception {
        HttpResponse<String> response = post("/v1/chat/completions", "{\"model\": \"x\", \"messages\": [");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("content-type")).contains("application/json");
        JsonNode error = Json.MAPPER.readTree(response.body()).get("error");
        assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
        assertThat(error.get("message").asText()).startsWith("Could not parse the JSON body").contains("line 1");
        assertThat(error.has("param")).isTrue();
        assertThat(error.has("code")).isTrue();
        assertThat(upstream.requests()).isEmpty();
    }

    @Test
    void malformedJsonIsA400InAnthropicsShapeOnAnAnthropicRoute() throws Exception {
        HttpResponse<String> response = post("/anthropic/v1/messages", "not json");
        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode body = Json.MAPPER.readTree(response.body());
        assertThat(body.get("type").asText()).isEqualTo("error");
        assertThat(body.path("error").path("type").asText()).isEqualTo("invalid_request_error");
    }

    @Test
    void oversizedBodyIsA413WhetherDeclaredOrStreamed() throws Exception {
        String big = "{\"model\":\"m\",\"pad\":\"" + "x".repeat(70 * 1024) + "\"}";
        HttpResponse<String> declared = post("/v1/chat/completions", big);
        assertThat(declared.statusCode()).isEqualTo(413);
        assertThat(Json.MAPPER.readTree(declared.body()).path("error").path("code").asText()).isEqualTo("request_too_large");

        HttpResponse<String> chunked = HTTP.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/anthropic/v1/messages"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big.getBytes(StandardCharsets.UTF_8))))
                .header("content-type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(chunked.statusCode()).isEqualTo(413);
        assertThat(Json.MAPPER.readTree(chunked.body()).path("error").path("type").asText()).isEqualTo("request_too_large");
        assertThat(upstream.requests()).isEmpty();

        assertThat(post("/v1/chat/completions", "{\"model\":\"demo-gpt\",\"messages\":[{\"role\":\"user\",\"content\":\"ok\"}]}")
                .statusCode()).as("the gateway still serves after rejecting").isEqualTo(200);
    }

    @Test
    void unreachableUpstreamIsA502WithoutItsAddress() throws Exception {
        HttpResponse<String> response = post("/down/v1/chat/completions", "{\"model\":\"m\"}");
        assertThat(response.statusCode()).isEqualTo(502);
        JsonNode error = Json.MAPPER.readTree(response.body()).get("error");
        assertThat(error.get("code").asText()).isEqualTo("upstream_unreachable");
        assertThat(response.body()).doesNotContain(Integer.toString(deadPort));
    }

    @Test
    void garbageOnTheSocketDoesNotHurtTheGateway() throws Exception {
        for (String garbage : new String[] {"\u0000\u0001\u0002 nonsense\r\n\r\n", "GET /v1/models HTTP/9.9\r\n\r\n",
                "POST /v1/chat/completions HTTP/1.1\r\nContent-Length: -5\r\n\r\n", "G".repeat(100_000) + "\r\n\r\n"}) {
            try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
                socket.setSoTimeout(5000);
                OutputStream out = socket.getOutputStream();
                out.write(garbage.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                InputStream in = socket.getInputStream();
                in.read();
            } catch (java.io.IOException expected) {
                // The gateway may just close the connection; what matters is that it keeps serving.
            }
        }
        assertThat(get("/health").statusCode()).isEqualTo(200);
    }

    @Test
    void healthReportsServiceAndVersion() throws Exception {
        HttpResponse<String> response = get("/health");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode health = Json.MAPPER.readTree(response.body());
        assertThat(health.get("status").asText()).isEqualTo("healthy");
        assertThat(health.get("service").asText()).isEqualTo("gatehouse");
        assertThat(health.get("version").asText()).isNotBlank();
    }

    @Test
    void configShowsTheEffectiveConfigWithKeysMasked() throws Exception {
        HttpResponse<String> response = get("/config");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).doesNotContain(OPENAI_KEY).doesNotContain(ANTHROPIC_KEY)
                .contains("****7777").contains("****8888").contains(upstream.baseUrl());
    }

    @Test
    void metricsExportRequestsLatencyStreamsAndBytes() throws Exception {
        post("/v1/chat/completions", "{\"model\":\"demo-gpt\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        String metrics = get("/metrics").body();
        assertThat(metrics).contains("gatehouse_requests_seconds_bucket{")
                .contains("provider=\"openai\"").contains("route=\"chat_completions\"").contains("status=\"200\"")
                .contains("gatehouse_upstream_latency_seconds_count{provider=\"openai\"} 1")
                .contains("gatehouse_active_streams")
                .contains("gatehouse_request_bytes_total{provider=\"openai\"}")
                .contains("gatehouse_response_bytes_total{provider=\"openai\"}");
    }
}
