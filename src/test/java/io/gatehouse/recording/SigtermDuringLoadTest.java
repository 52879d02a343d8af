package io.gatehouse.recording;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.provider.demo.DemoUpstream;
import io.gatehouse.testing.FakeUpstream;
import io.gatehouse.testing.GatewayTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The gateway as a real process, recording under concurrent streamed load, gets SIGTERM: every call a client saw
 * complete must have its request and response records and its {@code llm.call.finish} on disk, and nothing may be
 * dropped.
 */
class SigtermDuringLoadTest extends GatewayTestSupport {
    private static final int CLIENTS = 6;
    private static final String UPSTREAM_KEY = "sk-sigterm-upstream-key-0123456789abcdef";

    /** A call whose whole answer the client received. */
    private record Completed(String requestId, String sessionId, String body) {
    }

    @Test
    void aSigtermDuringLoadLosesNoEventThatWasAccepted(@TempDir Path dir) throws Exception {
        Path recordings = dir.resolve("http");
        Path events = dir.resolve("events");
        Path output = dir.resolve("gateway.log");
        try (FakeUpstream upstream = FakeUpstream.start(vertx, new DemoUpstream.Options(10, null))) {
            int port = freePort();
            Path config = Files.writeString(dir.resolve("gatehouse.yaml"), """
                    server: {port: %d, host: 127.0.0.1, workers: 2, shutdown_grace_seconds: 8}
                    llm: {type: openai, base_url: "%s", api_key: "%s"}
                    interceptors:
                      - type: http_recorder
                        config: {output_dir: "%s", max_events_per_file: 25}
                      - type: event_recorder
                        config: {output_dir: "%s"}
                    """.formatted(port, upstream.baseUrl(), UPSTREAM_KEY, recordings, events));
            String java = ProcessHandle.current().info().command().orElseThrow();
            Process gateway = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    "io.gatehouse.cli.Main", "run", "--config", config.toString())
                    .redirectErrorStream(true).redirectOutput(output.toFile()).start();
            try {
                String base = "http://127.0.0.1:" + port;
                await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
                        .until(() -> getUrl(base + "/health").statusCode() == 200);

                List<Completed> completed = new CopyOnWriteArrayList<>();
                AtomicBoolean failed = new AtomicBoolean();
                List<Thread> clients = new ArrayList<>();
                for (int c = 0; c < CLIENTS; c++) {
                    int client = c;
                    clients.add(Thread.ofPlatform().name("load-" + c).start(() -> {
                        for (int call = 0; !failed.get() || call == 0; call++) {
                            if (!streamOnce(base, "client " + client + " call " + call, completed)) {
                                return; // The gateway stopped taking calls.
                            }
                        }
                    }));
                }
                await().atMost(Duration.ofSeconds(15)).until(() -> completed.size() >= CLIENTS * 2);
                gateway.destroy(); // SIGTERM
                assertThat(gateway.waitFor(20, TimeUnit.SECONDS)).as("the gateway exits after SIGTERM").isTrue();
                failed.set(true);
                for (Thread thread : clients) {
                    thread.join(Duration.ofSeconds(20));
                }

                String log = Files.readString(output);
                assertThat(log).contains("Recorder http_recorder closed:", "Recorder event_recorder closed:")
                        .containsPattern("Recorder http_recorder closed: \\d+ records written, 0 dropped")
                        .containsPattern("Recorder event_recorder closed: \\d+ records written, 0 dropped")
                        .doesNotContain(UPSTREAM_KEY);
                Map<String, Map<String, JsonNode>> calls = RecordedFiles.byRequestId(RecordedFiles.recordings(recordings));
                assertThat(completed).hasSizeGreaterThanOrEqualTo(CLIENTS * 2);
                for (Completed call : completed) {
                    Map<String, JsonNode> records = calls.get(call.requestId());
                    assertThat(records).as("records of %s", call.requestId()).containsKeys("request", "response");
                    assertThat(records.get("response").path("body").path("content").asText()).isEqualTo(call.body());
                    Path sessionFile = events.resolve("session_" + call.sessionId() + ".jsonl");
                    assertThat(RecordedFiles.lines(sessionFile)).as("events of %s", call.sessionId())
                            .anySatisfy(event -> assertThat(event.path("name").asText()).isEqualTo("llm.call.finish"));
                }
                // Every line of every file parses (lines() fails otherwise).
                RecordedFiles.list(events).forEach(RecordedFiles::lines);
            } finally {
                gateway.destroyForcibly();
            }
        }
    }

    /** One streamed call; false when the gateway refused or broke it (it is shutting down). */
    private static boolean streamOnce(String base, String text, List<Completed> completed) {
        String body = "{\"model\":\"demo-gpt\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"" + text + "\"}]}";
        try {
            HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/v1/chat/completions"))
                    .timeout(Duration.ofSeconds(20))
                    .header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 200 || !answer.body().contains("data: [DONE]")) {
                return false;
            }
            completed.add(new Completed(answer.headers().firstValue("x-gatehouse-request-id").orElseThrow(),
                    answer.headers().firstValue("x-gatehouse-session-id").orElseThrow(), answer.body()));
            return true;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
