package io.gatehouse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.provider.demo.DemoUpstream;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code run}, {@code demo} and {@code mock-upstream}: they start servers and block until stopped. */
class ServerCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CHAT = "{\"model\":\"demo-gpt\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello!\"}]}";
    private static final String MESSAGE = "{\"model\":\"demo-claude\",\"max_tokens\":64,\"messages\":[{\"role\":\"user\",\"content\":\"Hi!\"}]}";

    @TempDir
    Path dir;

    // ---- run: refusals ----

    @Test
    void runWithoutAnyUpstreamSourceExplainsWhatIsNeeded() {
        CliHarness cli = new CliHarness();
        assertThat(cli.execute("run")).isEqualTo(1);
        assertThat(cli.err()).isEqualTo("--base-url and --type are required (or provide --config)\n");
    }

    @Test
    void runWithABaseUrlButNoTypeExplainsWhatIsNeeded() {
        CliHarness cli = new CliHarness();
        assertThat(cli.execute("run", "--base-url", "http://127.0.0.1:1")).isEqualTo(1);
        assertThat(cli.err()).contains("--base-url and --type are required (or provide --config)");
    }

    @Test
    void runWarnsAboutKeysOnTheCommandLine() {
        CliHarness cli = new CliHarness();
        assertThat(cli.execute("run", "--api-key", "sk-abcdefghijklmnopqrstuv0000")).isEqualTo(1);
        assertThat(cli.err().lines().findFirst().orElseThrow())
                .startsWith("warning: --api-key leaves the key in your shell history and in the process list")
                .doesNotContain("sk-abcdefghijklmnopqrstuv0000");
    }

    @Test
    void runReportsConfigErrorsWithFileAndKey() throws Exception {
        Path file = Files.writeString(dir.resolve("bad.yaml"), "server: {prot: 1}\nllm: {type: openai}\n");
        CliHarness cli = new CliHarness();
        assertThat(cli.execute("run", "--config", file.toString())).isEqualTo(1);
        assertThat(cli.err()).isEqualTo("✗ " + file + ": server.prot: unknown key (allowed: port, host, workers, max_body_bytes, shutdown_grace_seconds)\n");
    }

    @Test
    void runReportsBadFlagValuesByKey() {
        CliHarness cli = new CliHarness();
        assertThat(cli.execute("run", "--type", "cohere", "--base-url", "http://127.0.0.1:1")).isEqualTo(1);
        assertThat(cli.err()).isEqualTo("✗ llm.type: must be one of openai, anthropic, azure, gemini, bedrock, ollama,"
                + " vllm, openai_compatible (got \"cohere\")\n");
    }

    @Test
    void runReportsAMissingConfigFile() {
        CliHarness cli = new CliHarness();
        Path missing = dir.resolve("nope.yaml");
        assertThat(cli.execute("run", "--config", missing.toString())).isEqualTo(1);
        assertThat(cli.err()).isEqualTo("✗ " + missing + ": file not found\n");
    }

    // ---- run: serving ----

    @Test
    void runServesThroughTheConfiguredUpstreamUntilStopped() throws Exception {
        Vertx vertx = Vertx.vertx();
        PrintStream originalErr = System.err;
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        try {
            String key = "sk-run-command-key-abcdefghijk4242";
            int upstreamPort = DemoUpstream.start(vertx, "127.0.0.1", 0, new DemoUpstream.Options(0, key))
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
            int port = CliHarness.freePort();
            System.setErr(new PrintStream(logs, true, StandardCharsets.UTF_8));
            CliHarness cli = new CliHarness(Map.of("OPENAI_API_KEY", key));
            CompletableFuture<Integer> exit = cli.start("run", "--type", "openai", "--base-url",
                    "http://127.0.0.1:" + upstreamPort, "--port", String.valueOf(port), "--host", "0.0.0.0");
            String gateway = "http://127.0.0.1:" + port;
            awaitHealthy(gateway, exit);

            HttpResponse<String> chat = CliHarness.postJson(gateway + "/v1/chat/completions", CHAT);
            assertThat(chat.statusCode()).isEqualTo(200);
            assertThat(chat.body()).contains("Echo: Hello!");
            JsonNode config = JSON.readTree(CliHarness.get(gateway + "/config").body());
            assertThat(config.at("/llm/api_key").textValue()).isEqualTo("****4242");

            assertThat(cli.stop(exit)).isZero();
            String logged = logs.toString(StandardCharsets.UTF_8);
            assertThat(logged).contains("providers: default → openai http://127.0.0.1:" + upstreamPort + " (default)")
                    .contains("not a loopback address")
                    .doesNotContain(key);
        } finally {
            System.setErr(originalErr);
            vertx.close();
        }
    }

    private static void awaitHealthy(String gateway, CompletableFuture<Integer> exit) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try {
                if (CliHarness.get(gateway + "/health").statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException notYet) {
                // not listening yet
            }
            if (exit.isDone() || System.nanoTime() > deadline) {
                throw new AssertionError("gateway never became healthy (exit: " + exit.getNow(null) + ")");
            }
            Thread.sleep(50);
        }
    }

    // ---- demo ----

    @Test
    void demoServesBothDialectsAndPrintsHowToTryIt() throws Exception {
        int port = CliHarness.freePort();
        CliHarness cli = new CliHarness();
        CompletableFuture<Integer> exit = cli.start("demo", "--port", String.valueOf(port));
        cli.awaitOutput("Press Ctrl-C to stop.", exit);
        String gateway = "http://127.0.0.1:" + port;
        assertThat(cli.out())
                .contains("curl " + gateway + "/v1/chat/completions")
                .contains("curl -N " + gateway + "/v1/chat/completions")
                .contains("\"stream\":true")
                .contains("OpenAI:    " + gateway + "/v1")
                .contains("Anthropic: " + gateway + "/anthropic");

        HttpResponse<String> chat = CliHarness.postJson(gateway + "/v1/chat/completions", CHAT);
        assertThat(chat.statusCode()).isEqualTo(200);
        assertThat(chat.body()).contains("Echo: Hello!");
        HttpResponse<String> message = CliHarness.postJson(gateway + "/anthropic/v1/messages", MESSAGE);
        assertThat(message.statusCode()).isEqualTo(200);
        assertThat(message.body()).contains("\"type\":\"message\"");
        JsonNode config = JSON.readTree(CliHarness.get(gateway + "/config").body());
        assertThat(config.at("/default_provider").textValue()).isEqualTo("openai");
        assertThat(config.at("/providers/1/type").textValue()).isEqualTo("anthropic");
        assertThat(config.at("/interceptors/0/type").textValue()).isEqualTo("printer");

        assertThat(cli.stop(exit)).isZero();
    }

    // ---- mock-upstream ----

    @Test
    void mockUpstreamPrintsItsAddressFirstAndServes() throws Exception {
        CliHarness cli = new CliHarness();
        CompletableFuture<Integer> exit = cli.start("mock-upstream", "--port", "0");
        cli.awaitOutput("\n", exit);
        String firstLine = cli.out().lines().findFirst().orElseThrow();
        assertThat(firstLine).matches("listening on http://127\\.0\\.0\\.1:\\d+");
        String upstream = firstLine.substring("listening on ".length());

        HttpResponse<String> models = CliHarness.get(upstream + "/v1/models");
        assertThat(models.statusCode()).isEqualTo(200);
        assertThat(models.body()).contains("demo-gpt");
        for (int i = 0; i < 8; i++) {
            assertThat(CliHarness.postJson(upstream + "/v1/chat/completions", CHAT).statusCode()).isEqualTo(200);
        }

        assertThat(cli.stop(exit)).isZero();
    }
}
