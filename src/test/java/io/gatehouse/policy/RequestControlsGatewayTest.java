package io.gatehouse.policy;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.config.ProviderConfig;
import io.gatehouse.pipeline.Json;
import io.gatehouse.testing.FakeUpstream;
import io.gatehouse.testing.GatewayTestSupport;
import io.gatehouse.testing.RecordingInterceptor;
import io.gatehouse.testing.TestGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each request control end to end, on an OpenAI and an Anthropic route: what is allowed reaches the fake upstream,
 * what is refused never does and gets the provider's own error shape with a code naming the rule.
 */
class RequestControlsGatewayTest extends GatewayTestSupport {
    private static final String APP = "https://app.example.com";
    private static final String CHAT = "{\"model\":\"demo-gpt\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
    private static final String CLAUDE = "{\"model\":\"demo-claude\",\"max_tokens\":50,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

    private FakeUpstream upstream;
    private TestGateway.Running gateway;
    private final List<String> log = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        upstream = FakeUpstream.start(vertx);
        Map<String, List<String>> openAiWhitelist = new LinkedHashMap<>();
        openAiWhitelist.put("model", List.of("demo-gpt*", "text-embedding-*"));
        openAiWhitelist.put("response_format.type", List.of("text", "json_object"));
        openAiWhitelist.put("tools[].function.name", List.of("get_*"));
        openAiWhitelist.put("temperature", List.of("0", "0.5", "1"));
        gateway = TestGateway.builder()
                .provider(new ProviderConfig("openai", "openai", upstream.baseUrl(), null, null, null, null, null,
                        openAiWhitelist, List.of(APP, "https://*.trusted.dev"), List.of("X-Team"), List.of("post", "GET"),
                        List.of("/v1/chat/completions", "/v1/embeddings", "/v1/models")))
                .provider(new ProviderConfig("anthropic", "anthropic", upstream.baseUrl(), null, null, null, null, null,
                        Map.of("model", List.of("demo-claude*")), List.of("*"), List.of("origin"), null, List.of("/v1/messages")))
                .provider(new ProviderConfig("browser", "openai", upstream.baseUrl(), null, null, null, null, null,
                        null, List.of(APP), List.of("origin"), null, null))
                .provider("plain", "openai", upstream.baseUrl(), null)
                .interceptor(new RecordingInterceptor("later", log))
                .maxBodyBytes(64 * 1024)
                .start();
    }

    @AfterEach
    void stop() {
        gateway.close();
        upstream.close();
    }

    private HttpResponse<String> send(String method, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("content-type", "application/json");
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.setHeader(headers[i], headers[i + 1]);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> chat(String body, String... headers) throws Exception {
        String[] withTeam = new String[headers.length + 2];
        withTeam[0] = "x-team";
        withTeam[1] = "blue";
        System.arraycopy(headers, 0, withTeam, 2, headers.length);
        return send("POST", "/v1/chat/completions", body, withTeam);
    }

    /** The OpenAI error object, after checking the status and that nothing went upstream or further down the chain. */
    private JsonNode openAiRefusal(HttpResponse<String> response, int status, String code) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(upstream.requests()).as("a refused request never reaches the upstream").isEmpty();
        assertThat(log).as("nor any later interceptor").isEmpty();
        JsonNode error = Json.MAPPER.readTree(response.body()).path("error");
        assertThat(error.path("code").textValue()).isEqualTo(code);
        assertThat(error.has("param")).isTrue();
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
        return error;
    }

    private JsonNode anthropicRefusal(HttpResponse<String> response, int status, String type) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(upstream.requests()).isEmpty();
        JsonNode root = Json.MAPPER.readTree(response.body());
        assertThat(root.path("type").textValue()).isEqualTo("error");
        assertThat(root.path("error").path("type").textValue()).isEqualTo(type);
        return root.path("error");
    }

    // ---- param_whitelist ----

    @Test
    void aWhitelistedRequestReachesTheUpstreamUnchanged() throws Exception {
        String body = "{\"model\":\"demo-gpt-mini\",\"temperature\":1.0,\"response_format\":{\"type\":\"text\"},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
        HttpResponse<String> response = chat(body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(upstream.takeRequest().bodyAsString()).isEqualTo(body);
        assertThat(response.headers().firstValue("vary")).as("the answer depends on Origin even without one").hasValue("Origin");
        assertThat(response.headers().firstValue("access-control-allow-origin")).isEmpty();
    }

    @Test
    void aModelOutsideTheWhitelistIsRefusedNamingFieldValueAndPatterns() throws Exception {
        JsonNode error = openAiRefusal(chat(CHAT.replace("demo-gpt", "gpt-5")), 400, "param_not_allowed");
        assertThat(error.path("type").textValue()).isEqualTo("invalid_request_error");
        assertThat(error.path("message").textValue())
                .isEqualTo("Parameter 'model' value 'gpt-5' is not allowed. Allowed patterns: [demo-gpt*, text-embedding-*]");
    }

    @Test
    void aCharsetParameterOnTheContentTypeDoesNotBypassTheWhitelist() throws Exception {
        JsonNode error = openAiRefusal(chat(CHAT.replace("demo-gpt", "gpt-5"), "content-type", "application/json; charset=utf-8"),
                400, "param_not_allowed");
        assertThat(error.path("message").textValue()).contains("'gpt-5'");
        openAiRefusal(chat(CHAT.replace("demo-gpt", "gpt-5"), "content-type", "Application/JSON;charset=UTF-8"),
                400, "param_not_allowed");
    }

    @Test
    void aBodyTheGatewayCannotReadAsJsonIsRefusedRatherThanPassedUnchecked() throws Exception {
        JsonNode error = openAiRefusal(chat(CHAT.replace("demo-gpt", "gpt-5"), "content-type", "text/plain"),
                400, "param_not_allowed");
        assertThat(error.path("message").textValue()).contains("must be uncompressed JSON");
        openAiRefusal(chat(CHAT, "content-encoding", "gzip"), 400, "param_not_allowed");
    }

    @Test
    void malformedJsonIsRefusedBeforeTheWhitelistAndNeverReachesTheUpstream() throws Exception {
        HttpResponse<String> response = chat("{\"model\":\"demo-gpt\",");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(Json.MAPPER.readTree(response.body()).path("error").path("message").textValue()).contains("Could not parse the JSON body");
        assertThat(upstream.requests()).isEmpty();
    }

    @Test
    void nestedFieldsAndListElementsAreChecked() throws Exception {
        String badFormat = CHAT.replace("{\"model\"", "{\"response_format\":{\"type\":\"json_schema\"},\"model\"");
        assertThat(openAiRefusal(chat(badFormat), 400, "param_not_allowed").path("message").textValue())
                .isEqualTo("Parameter 'response_format.type' value 'json_schema' is not allowed. Allowed patterns: [text, json_object]");
        String badTool = CHAT.replace("{\"model\"", "{\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\"}},"
                + "{\"type\":\"function\",\"function\":{\"name\":\"run_shell\"}}],\"model\"");
        assertThat(openAiRefusal(chat(badTool), 400, "param_not_allowed").path("message").textValue())
                .isEqualTo("Parameter 'tools[].function.name' value 'run_shell' is not allowed. Allowed patterns: [get_*]");
        String badTemperature = CHAT.replace("{\"model\"", "{\"temperature\":0.7,\"model\"");
        assertThat(openAiRefusal(chat(badTemperature), 400, "param_not_allowed").path("message").textValue())
                .contains("'temperature' value '0.7'");
    }

    @Test
    void theAnthropicRouteRefusesInAnthropicsShape() throws Exception {
        JsonNode error = anthropicRefusal(send("POST", "/anthropic/v1/messages", CLAUDE.replace("demo-claude", "claude-opus"),
                "origin", APP, "anthropic-version", "2023-06-01"), 400, "invalid_request_error");
        assertThat(error.path("message").textValue())
                .isEqualTo("Parameter 'model' value 'claude-opus' is not allowed. Allowed patterns: [demo-claude*]");
        HttpResponse<String> allowed = send("POST", "/anthropic/v1/messages", CLAUDE, "origin", APP, "anthropic-version", "2023-06-01");
        assertThat(allowed.statusCode()).as(allowed.body()).isEqualTo(200);
        assertThat(upstream.takeRequest().path()).isEqualTo("/v1/messages");
    }

    // ---- allowed_methods and allowed_paths ----

    @Test
    void aMethodOutsideTheListGets405WithAllow() throws Exception {
        HttpResponse<String> response = send("DELETE", "/v1/models/demo-gpt", null, "x-team", "blue");
        JsonNode error = openAiRefusal(response, 405, "method_not_allowed");
        assertThat(error.path("message").textValue()).isEqualTo("Method 'DELETE' is not allowed. Allowed methods: POST, GET");
        assertThat(response.headers().firstValue("allow")).hasValue("POST, GET");
    }

    @Test
    void methodsAreConfiguredCaseInsensitively() throws Exception {
        assertThat(chat(CHAT).statusCode()).as("post in the config admits POST").isEqualTo(200);
    }

    @Test
    void pathsMatchBySegmentNotByStringPrefix() throws Exception {
        HttpResponse<String> response = send("GET", "/v1/modelsX", null, "x-team", "blue");
        JsonNode error = openAiRefusal(response, 404, "endpoint_not_allowed");
        assertThat(error.path("type").textValue()).isEqualTo("not_found_error");
        assertThat(error.path("message").textValue())
                .isEqualTo("Path '/v1/modelsX' is not allowed. Allowed paths: [/v1/chat/completions, /v1/embeddings, /v1/models]");
        openAiRefusal(send("GET", "/v1/models/%2e%2e/files", null, "x-team", "blue"), 404, "endpoint_not_allowed");
        openAiRefusal(send("GET", "/v1/files", null, "x-team", "blue"), 404, "endpoint_not_allowed");

        upstream.on("GET", "/v1/models/demo-gpt", FakeUpstream.respond(200, "application/json", "{\"id\":\"demo-gpt\"}"));
        HttpResponse<String> below = send("GET", "/v1/models/demo-gpt", null, "x-team", "blue");
        assertThat(below.statusCode()).as(below.body()).isEqualTo(200);
        assertThat(upstream.takeRequest().path()).isEqualTo("/v1/models/demo-gpt");
    }

    @Test
    void pathsAreThoseAfterTheProviderPrefix() throws Exception {
        anthropicRefusal(send("POST", "/anthropic/v1/complete", CLAUDE, "origin", APP), 404, "not_found_error");
    }

    // ---- required_headers ----

    @Test
    void aMissingRequiredHeaderIsNamedButNoHeaderValueIsRepeated() throws Exception {
        String secret = "sk-client-secret-value-123456";
        HttpResponse<String> response = send("POST", "/v1/chat/completions", CHAT, "authorization", "Bearer " + secret);
        JsonNode error = openAiRefusal(response, 400, "missing_required_header");
        assertThat(error.path("message").textValue()).isEqualTo("Missing required header 'x-team'. Required headers: [x-team]");
        assertThat(response.body()).doesNotContain(secret);
        openAiRefusal(send("POST", "/v1/chat/completions", CHAT, "x-team", " "), 400, "missing_required_header");
    }

    @Test
    void aRequiredOriginThatIsMissingIsOriginRequired() throws Exception {
        JsonNode error = anthropicRefusal(send("POST", "/anthropic/v1/messages", CLAUDE, "anthropic-version", "2023-06-01"),
                400, "invalid_request_error");
        assertThat(error.path("message").textValue()).isEqualTo("Missing required header 'origin'. Required headers: [origin]");
        openAiRefusal(send("POST", "/browser/v1/chat/completions", CHAT), 400, "origin_required");
        assertThat(send("POST", "/browser/v1/chat/completions", CHAT, "origin", APP).statusCode()).isEqualTo(200);
    }

    // ---- allowed_origins and CORS ----

    @Test
    void anOriginOutsideTheListIsForbiddenAndGetsNoCorsHeaders() throws Exception {
        HttpResponse<String> response = chat(CHAT, "origin", "https://evil.example");
        JsonNode error = openAiRefusal(response, 403, "origin_not_allowed");
        assertThat(error.path("type").textValue()).isEqualTo("permission_error");
        assertThat(error.path("message").textValue())
                .isEqualTo("Origin 'https://evil.example' is not allowed. Allowed origins: [https://app.example.com, https://*.trusted.dev]");
        assertThat(response.headers().firstValue("access-control-allow-origin")).isEmpty();
        assertThat(response.headers().firstValue("vary")).hasValue("Origin");
    }

    @Test
    void anAllowedOriginGetsCorsHeadersOnTheProxiedResponse() throws Exception {
        HttpResponse<String> response = chat(CHAT, "origin", "https://lab.trusted.dev");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("access-control-allow-origin")).hasValue("https://lab.trusted.dev");
        assertThat(response.headers().firstValue("vary")).hasValue("Origin");
        assertThat(response.headers().firstValue("access-control-expose-headers").orElseThrow())
                .contains("x-gatehouse-request-id", "x-gatehouse-session-id", "x-gatehouse-agent-id",
                        "x-ratelimit-remaining-requests", "retry-after", "x-gatehouse-upstream", "x-ratelimit-remaining");
        assertThat(upstream.takeRequest().header("origin")).isEqualTo("https://lab.trusted.dev");
    }

    @Test
    void theUpstreamsOwnCorsHeadersGiveWayAndItsVaryIsKept() throws Exception {
        upstream.on("POST", "/v1/embeddings", FakeUpstream.respond(200, "application/json", "{\"data\":[]}",
                Map.of("access-control-allow-origin", "*", "vary", "Accept-Encoding")));
        HttpResponse<String> response = send("POST", "/v1/embeddings", "{\"model\":\"text-embedding-3-small\",\"input\":\"x\"}",
                "x-team", "blue", "origin", APP);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().allValues("access-control-allow-origin")).containsExactly(APP);
        assertThat(response.headers().firstValue("vary")).hasValue("Accept-Encoding, Origin");
    }

    @Test
    void gatewayErrorsCarryTheCorsHeadersOfAnAllowedOrigin() throws Exception {
        HttpResponse<String> refused = chat(CHAT.replace("demo-gpt", "gpt-5"), "origin", APP);
        openAiRefusal(refused, 400, "param_not_allowed");
        assertThat(refused.headers().firstValue("access-control-allow-origin")).hasValue(APP);
        assertThat(refused.headers().firstValue("access-control-expose-headers").orElseThrow()).contains("x-gatehouse-request-id");

        HttpResponse<String> wrongMethod = send("PUT", "/v1/models", null, "x-team", "blue", "origin", APP);
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(wrongMethod.headers().firstValue("access-control-allow-origin")).hasValue(APP);
    }

    @Test
    void refusalsBeforeTheChainCarryThemToo() throws Exception {
        HttpResponse<String> malformed = chat("{\"model\":", "origin", APP);
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(malformed.headers().firstValue("access-control-allow-origin")).hasValue(APP);
        assertThat(malformed.headers().firstValue("vary")).hasValue("Origin");

        HttpResponse<String> tooLarge = chat("{\"model\":\"" + "x".repeat(100 * 1024) + "\"}", "origin", APP);
        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(tooLarge.headers().firstValue("access-control-allow-origin")).hasValue(APP);
        assertThat(upstream.requests()).isEmpty();
    }

    @Test
    void anUnreachableUpstreamsErrorCarriesThemToo() throws Exception {
        int deadPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            deadPort = socket.getLocalPort();
        }
        try (TestGateway.Running down = TestGateway.builder()
                .provider(new ProviderConfig("down", "openai", "http://127.0.0.1:" + deadPort, null, null, null, null, 0,
                        null, List.of(APP), null, null, null))
                .start()) {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(down.baseUrl() + "/v1/chat/completions"))
                    .POST(HttpRequest.BodyPublishers.ofString(CHAT)).header("content-type", "application/json")
                    .header("origin", APP).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(502);
            assertThat(response.headers().firstValue("access-control-allow-origin")).hasValue(APP);
            assertThat(response.headers().firstValue("vary")).hasValue("Origin");
        }
    }

    @Test
    void aWildcardAllowsEveryOriginWithAStar() throws Exception {
        HttpResponse<String> response = send("POST", "/anthropic/v1/messages", CLAUDE, "origin", "https://anywhere.example",
                "anthropic-version", "2023-06-01");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("access-control-allow-origin")).hasValue("*");
        assertThat(response.headers().firstValue("access-control-expose-headers").orElseThrow())
                .contains("anthropic-ratelimit-requests-remaining", "x-gatehouse-request-id");
    }

    @Test
    void thePreflightOfAnAllowedOriginIsAnsweredByTheGatewayBeforeAnyOtherCheck() throws Exception {
        HttpResponse<String> response = send("OPTIONS", "/v1/chat/completions", null, "origin", APP,
                "access-control-request-method", "POST", "access-control-request-headers", "authorization, content-type, x-team");
        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(response.headers().firstValue("access-control-allow-origin")).hasValue(APP);
        assertThat(response.headers().firstValue("access-control-allow-methods")).hasValue("POST, GET");
        assertThat(response.headers().firstValue("access-control-allow-headers")).hasValue("authorization, content-type, x-team");
        assertThat(response.headers().firstValue("access-control-max-age")).hasValue("86400");
        assertThat(response.headers().firstValue("vary").orElseThrow()).startsWith("Origin");
        assertThat(response.body()).isEmpty();
        assertThat(upstream.requests()).as("never forwarded").isEmpty();
        assertThat(log).as("answered ahead of every other interceptor").isEmpty();
    }

    @Test
    void aPreflightWithoutRequestedHeadersIsOfferedTheUsualOnes() throws Exception {
        HttpResponse<String> response = send("OPTIONS", "/v1/chat/completions", null, "origin", APP,
                "access-control-request-method", "POST");
        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(response.headers().firstValue("access-control-allow-headers").orElseThrow())
                .contains("authorization", "content-type", "x-api-key");
    }

    @Test
    void thePreflightOfAnotherOriginIsRefused() throws Exception {
        HttpResponse<String> response = send("OPTIONS", "/v1/chat/completions", null, "origin", "https://evil.example",
                "access-control-request-method", "POST");
        openAiRefusal(response, 403, "origin_not_allowed");
        assertThat(response.headers().firstValue("access-control-allow-origin")).isEmpty();
        assertThat(response.headers().firstValue("access-control-allow-methods")).isEmpty();
    }

    @Test
    void aWildcardPreflightAllowsAnyOriginWithAStar() throws Exception {
        HttpResponse<String> response = send("OPTIONS", "/anthropic/v1/messages", null, "origin", "https://anywhere.example",
                "access-control-request-method", "POST", "access-control-request-headers", "x-api-key, anthropic-version");
        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(response.headers().firstValue("access-control-allow-origin")).hasValue("*");
        assertThat(response.headers().firstValue("access-control-allow-headers")).hasValue("x-api-key, anthropic-version");
        assertThat(response.headers().firstValue("access-control-allow-methods")).hasValue("GET, POST, PUT, PATCH, DELETE, OPTIONS");
        assertThat(upstream.requests()).isEmpty();
    }

    @Test
    void aProviderWithoutControlsIsUntouchedEvenForOptions() throws Exception {
        HttpResponse<String> preflight = send("OPTIONS", "/plain/v1/chat/completions", null, "origin", "https://evil.example",
                "access-control-request-method", "POST");
        assertThat(upstream.takeRequest().method()).isEqualTo("OPTIONS");
        assertThat(preflight.headers().firstValue("access-control-allow-origin")).isEmpty();
        HttpResponse<String> chat = send("POST", "/plain/v1/chat/completions", CHAT.replace("demo-gpt", "gpt-5"));
        assertThat(chat.statusCode()).isEqualTo(200);
        assertThat(chat.headers().firstValue("vary")).isEmpty();
    }
}
