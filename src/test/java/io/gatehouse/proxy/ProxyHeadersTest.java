package io.gatehouse.proxy;

import io.gatehouse.testing.FakeUpstream;
import io.gatehouse.testing.GatewayTestSupport;
import io.gatehouse.testing.TestGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ProxyHeadersTest extends GatewayTestSupport {
    private FakeUpstream openai;
    private FakeUpstream anthropic;
    private TestGateway.Running gateway;

    @BeforeEach
    void start() {
        openai = FakeUpstream.start(vertx);
        anthropic = FakeUpstream.start(vertx);
        gateway = TestGateway.builder()
                .provider("openai", "openai", openai.baseUrl(), "sk-gateway-openai-key-0001")
                .provider("anthropic", "anthropic", anthropic.baseUrl(), "sk-ant-gateway-key-0002")
                .provider("open", "openai", openai.baseUrl() + "/base/", null)
                .start();
    }

    @AfterEach
    void stop() {
        gateway.close();
        openai.close();
        anthropic.close();
    }

    private HttpResponse<String> post(String path, String body, Map<String, String> headers) throws Exception {
        return postJson(gateway.baseUrl() + path, body, headers);
    }

    private static final String CHAT = "{\"model\":\"demo-gpt\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    @Test
    void gatewayKeyReplacesTheClientsCredentialForOpenAi() throws Exception {
        HttpResponse<String> response = post("/v1/chat/completions?trace=1&x=%20y", CHAT,
                Map.of("authorization", "Bearer sk-client-key", "x-api-key", "sk-client-other"));
        assertThat(response.statusCode()).isEqualTo(200);
        FakeUpstream.RecordedRequest seen = openai.lastRequest();
        assertThat(seen.path()).isEqualTo("/v1/chat/completions");
        assertThat(seen.query()).isEqualTo("trace=1&x=%20y");
        assertThat(seen.headers().getAll("authorization")).containsExactly("Bearer sk-gateway-openai-key-0001");
        assertThat(seen.headers().contains("x-api-key")).isFalse();
        assertThat(seen.body().toString()).isEqualTo(CHAT);
    }

    @Test
    void anthropicGetsXApiKeyAndKeepsItsVersionHeader() throws Exception {
        String body = "{\"model\":\"demo-claude\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        HttpResponse<String> response = post("/anthropic/v1/messages", body,
                Map.of("x-api-key", "sk-ant-client", "anthropic-version", "2023-06-01", "authorization", "Bearer nope"));
        assertThat(response.statusCode()).isEqualTo(200);
        FakeUpstream.RecordedRequest seen = anthropic.lastRequest();
        assertThat(seen.path()).isEqualTo("/v1/messages");
        assertThat(seen.headers().getAll("x-api-key")).containsExactly("sk-ant-gateway-key-0002");
        assertThat(seen.headers().get("anthropic-version")).isEqualTo("2023-06-01");
        assertThat(seen.headers().contains("authorization")).isFalse();
    }

    @Test
    void withoutAGatewayKeyTheClientsCredentialPassesAndTheBasePathIsKept() throws Exception {
        post("/open/v1/chat/completions", CHAT, Map.of("authorization", "Bearer sk-client-own"));
        FakeUpstream.RecordedRequest seen = openai.lastRequest();
        assertThat(seen.path()).isEqualTo("/base/v1/chat/completions");
        assertThat(seen.headers().get("authorization")).isEqualTo("Bearer sk-client-own");
    }

    @Test
    void controlAndHopByHopHeadersStayAtTheGateway() throws Exception {
        String request = "POST /v1/chat/completions HTTP/1.1\r\n"
                + "Host: 127.0.0.1\r\n"
                + "Content-Type: application/json\r\n"
                + "Content-Length: " + CHAT.getBytes(StandardCharsets.UTF_8).length + "\r\n"
                + "Connection: keep-alive, X-Private-Hop\r\n"
                + "Keep-Alive: timeout=5\r\n"
                + "X-Private-Hop: secret-route\r\n"
                + "TE: trailers\r\n"
                + "Proxy-Authorization: Basic abc\r\n"
                + "X-Cylestio-Session-Id: s1\r\n"
                + "x-cylestio-tags: a:b\r\n"
                + "X-Gatehouse-Agent-Id: a1\r\n"
                + "X-Custom: kept\r\n"
                + "\r\n" + CHAT;
        try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] head = new byte[12];
            assertThat(in.readNBytes(head, 0, 12)).isEqualTo(12);
            assertThat(new String(head, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 200");
        }
        FakeUpstream.RecordedRequest seen = openai.lastRequest();
        assertThat(seen.headers().get("x-custom")).isEqualTo("kept");
        for (String dropped : new String[] {"keep-alive", "x-private-hop", "te", "proxy-authorization",
                "x-cylestio-session-id", "x-cylestio-tags", "x-gatehouse-agent-id"}) {
            assertThat(seen.headers().contains(dropped)).as(dropped).isFalse();
        }
        assertThat(seen.headers().get("host")).isEqualTo("127.0.0.1:" + openai.port());
    }

    @Test
    void upstreamStatusHeadersAndBodyComeBackUnchanged() throws Exception {
        String error = "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\",\"param\":null,\"code\":\"rate_limit_exceeded\"}}";
        openai.on("POST", "/v1/chat/completions", FakeUpstream.respond(429, "application/json", error,
                Map.of("x-ratelimit-remaining-requests", "0", "retry-after", "7", "x-request-id", "req_123")));
        HttpResponse<String> response = post("/v1/chat/completions", CHAT, Map.of());
        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(response.body()).isEqualTo(error);
        assertThat(response.headers().firstValue("x-ratelimit-remaining-requests")).contains("0");
        assertThat(response.headers().firstValue("retry-after")).contains("7");
        assertThat(response.headers().firstValue("x-request-id")).contains("req_123");
    }

    @Test
    void redirectsArePassedBackNotFollowed() throws Exception {
        openai.on("POST", "/v1/chat/completions", FakeUpstream.respond(307, "text/plain", "moved",
                Map.of("location", openai.baseUrl() + "/elsewhere")));
        HttpResponse<String> response = post("/v1/chat/completions", CHAT, Map.of());
        assertThat(response.statusCode()).isEqualTo(307);
        assertThat(response.headers().firstValue("location")).contains(openai.baseUrl() + "/elsewhere");
        assertThat(openai.requests()).hasSize(1);
    }

    @Test
    void everyMethodIsForwarded() throws Exception {
        for (String method : new String[] {"GET", "DELETE", "PUT", "PATCH", "OPTIONS"}) {
            openai.on(method, "/v1/files/f1", FakeUpstream.respond(200, "application/json", "{\"ok\":\"" + method + "\"}", Map.of()));
            HttpRequest request = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/files/f1"))
                    .method(method, HttpRequest.BodyPublishers.noBody()).build();
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(method).isEqualTo(200);
            assertThat(response.body()).isEqualTo("{\"ok\":\"" + method + "\"}");
            assertThat(openai.lastRequest().method()).isEqualTo(method);
        }
    }

    @Test
    void responsesCarryOverheadAndServerTiming() throws Exception {
        HttpResponse<String> response = post("/v1/chat/completions", CHAT, Map.of());
        String overhead = response.headers().firstValue("x-gatehouse-overhead-ms").orElseThrow();
        assertThat(Double.parseDouble(overhead)).isBetween(0.0, 1000.0);
        assertThat(response.headers().firstValue("server-timing").orElseThrow())
                .matches("gatehouse;dur=\\d+\\.\\d{3}, upstream;dur=\\d+\\.\\d{3}");
        assertThat(response.headers().firstValue("x-gatehouse-request-id").orElseThrow()).startsWith("gh-");
    }
}
