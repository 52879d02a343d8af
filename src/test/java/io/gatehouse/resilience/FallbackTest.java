package io.gatehouse.resilience;

import io.gatehouse.config.ConfigException;
import io.gatehouse.testing.FakeUpstream;
import io.gatehouse.testing.RecordingInterceptor;
import io.gatehouse.testing.TestGateway;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Fallbacks to another provider (and model) of the same wire format once the addressed one has failed. */
class FallbackTest extends ResilienceTestSupport {
    private static final String PATH = "/v1/chat/completions";
    private FakeUpstream primary;
    private FakeUpstream backup;

    @BeforeEach
    void startUpstreams() {
        primary = FakeUpstream.start(vertx);
        backup = FakeUpstream.start(vertx);
        backup.on("POST", PATH, FakeUpstream.respond(200, "application/json", CHAT_ANSWER));
    }

    @AfterEach
    void stopUpstreams() {
        primary.close();
        backup.close();
    }

    private String providers(String primaryUrl, String extra) {
        return """
                - name: primary
                  type: openai
                  base_url: %s
                  api_key: sk-primary-key-000001
                  max_retries: 0
                  fallbacks: [{provider: backup, model: gpt-4o-mini}]
                %s
                - name: backup
                  type: openai
                  base_url: %s
                  api_key: sk-backup-key-0000002
                """.formatted(primaryUrl, extra.indent(2).stripTrailing(), backup.baseUrl());
    }

    @Test
    void a503GoesToTheFallbackWithItsKeyAndModelAndTheClientIsToldWhoAnswered() throws Exception {
        primary.on("POST", PATH, FakeUpstream.respond(503, "application/json", OVERLOADED));
        List<String> log = new CopyOnWriteArrayList<>();
        RecordingInterceptor recorder = new RecordingInterceptor("recorder", log);
        try (TestGateway.Running gateway = gateway(providers(primary.baseUrl(), ""), recorder)) {
            HttpResponse<String> response = chat(gateway, "");

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo(CHAT_ANSWER);
            assertThat(response.headers().firstValue("x-gatehouse-upstream")).hasValue("backup/0");
            assertThat(primary.requests()).hasSize(1);
            FakeUpstream.RecordedRequest sent = backup.takeRequest();
            JsonObject body = sent.bodyAsJson();
            assertThat(body.getString("model")).isEqualTo("gpt-4o-mini");
            assertThat(body.getJsonArray("messages")).isEqualTo(new JsonObject(CHAT).getJsonArray("messages"));
            assertThat(sent.header("authorization")).isEqualTo("Bearer sk-backup-key-0000002");
            assertThat(recorder.awaitEnd().status()).isEqualTo(200);
            assertThat(log).containsExactly("recorder:request", "recorder:response", "recorder:end:COMPLETED");
            assertThat(lines(metrics(gateway), "gatehouse_upstream_fallbacks_total"))
                    .containsExactly("gatehouse_upstream_fallbacks_total{from=\"primary\",to=\"backup\"} 1.0");
        }
    }

    @Test
    void anUnreachableProviderFallsBack() throws Exception {
        try (TestGateway.Running gateway = gateway(providers("http://127.0.0.1:" + deadPort(), ""))) {
            HttpResponse<String> response = chat(gateway, "");

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("x-gatehouse-upstream")).hasValue("backup/0");
            assertThat(backup.requests()).hasSize(1);
        }
    }

    @Test
    void aStatusOutsideFallbackOnGoesBackToTheClient() throws Exception {
        primary.on("POST", PATH, FakeUpstream.respond(400, "application/json", "{\"error\":{\"message\":\"bad\"}}"));
        try (TestGateway.Running gateway = gateway(providers(primary.baseUrl(), "fallback_on: [503]"))) {
            HttpResponse<String> response = chat(gateway, "");

            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(response.headers().firstValue("x-gatehouse-upstream")).hasValue("primary/0");
            assertThat(backup.requests()).isEmpty();
        }
    }

    @Test
    void aFallbackOfAnotherWireFormatIsRefusedNamingTheKey() {
        String yaml = """
                providers:
                  - name: primary
                    type: openai
                    fallbacks: [{provider: claude}]
                  - name: claude
                    type: anthropic
                """;
        assertThatThrownBy(() -> load(yaml)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("providers[0].fallbacks[0].provider: \"claude\" speaks anthropic but \"primary\" "
                        + "speaks openai; a fallback must have the same type (calls are not translated)");
        assertThatThrownBy(() -> load(yaml.replace("provider: claude", "provider: nowhere")))
                .hasMessageContaining("providers[0].fallbacks[0].provider: \"nowhere\" is not a configured provider");
    }

    static int deadPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
