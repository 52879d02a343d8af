package io.gatehouse.proxy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.config.LoggingConfig;
import io.gatehouse.logging.LoggingSetup;
import io.gatehouse.pipeline.Json;
import io.gatehouse.testing.FakeUpstream;
import io.gatehouse.testing.TestGateway;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Every log line the gateway writes, at DEBUG and with the printer showing bodies, is free of keys. */
class SecretsStayOutOfLogsTest {
    /** Deliberately not shaped like a known key format, so only the gateway's own care keeps it out. */
    private static final String GATEWAY_KEY = "gwkey-Q7d9XrT2pL5mN8vB3cF6hJ1k";
    private static final String CLIENT_KEY = "clientkey-Z4w8Yt6Ru2Io9Pa3Sd5Fg7Hj";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TempDir
    Path dir;

    @AfterEach
    void restoreLogging() {
        LoggingSetup.apply(new LoggingConfig(null, null, null, null, null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"text", "json"})
    void keysNeverReachTheLogOrConfig(String format) throws Exception {
        Path logFile = dir.resolve("gatehouse.log");
        LoggingSetup.apply(new LoggingConfig("DEBUG", format, logFile.toString(), null, null));
        Vertx vertx = Vertx.vertx();
        FakeUpstream upstream = FakeUpstream.start(vertx);
        ObjectNode printer = Json.MAPPER.createObjectNode().put("log_body", true);
        try (TestGateway.Running gateway = TestGateway.builder()
                .provider("openai", "openai", upstream.baseUrl(), GATEWAY_KEY)
                .provider("anthropic", "anthropic", upstream.baseUrl(), GATEWAY_KEY)
                .interceptorConfig("printer", printer).start()) {
            String chat = "{\"model\":\"demo-gpt\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";
            send(gateway, "/v1/chat/completions", chat);
            send(gateway, "/v1/chat/completions", chat.replace("{\"model\"", "{\"stream\":true,\"model\""));
            send(gateway, "/anthropic/v1/messages", "{\"model\":\"demo-claude\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
            send(gateway, "/v1/chat/completions", "{broken");
            String config = HTTP.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/config")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(config).doesNotContain(GATEWAY_KEY).contains("****hJ1k");
            upstream.close();
            send(gateway, "/v1/chat/completions", chat);
        } finally {
            vertx.close().await();
        }
        String log = Files.readString(logFile, StandardCharsets.UTF_8);
        assertThat(log).contains("REQUEST POST").contains("RESPONSE 200").contains("ERROR 502");
        assertThat(log).doesNotContain(GATEWAY_KEY).doesNotContain(CLIENT_KEY);
    }

    private static void send(TestGateway.Running gateway, String path, String body) throws Exception {
        HTTP.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .header("content-type", "application/json")
                .header("authorization", "Bearer " + CLIENT_KEY)
                .header("x-api-key", CLIENT_KEY).build(), HttpResponse.BodyHandlers.ofString());
    }
}
