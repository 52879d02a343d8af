package io.gatehouse.recording;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.testing.FakeUpstream;
import io.gatehouse.testing.GatewayTestSupport;
import io.gatehouse.testing.TestGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Closing a gateway refuses new connections at once, lets the calls in flight finish, then writes out every record. */
class GracefulShutdownTest extends GatewayTestSupport {
    private static final String STREAM = "{\"model\":\"demo-gpt\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"slow\"}]}";

    @Test
    void aStreamInFlightWhenTheGatewayStopsFinishesAndIsRecorded(@TempDir Path dir) throws Exception {
        try (FakeUpstream upstream = FakeUpstream.start(vertx)) {
            upstream.on("POST", "/v1/chat/completions", FakeUpstream.sse(HttpRecorderTest.events(60), 25));
            TestGateway.Running gateway = TestGateway.builder()
                    .provider("openai", "openai", upstream.baseUrl(), null)
                    .interceptorConfig("http_recorder", RecordedFiles.JSON.createObjectNode().put("output_dir", dir.toString()))
                    .start();
            CompletableFuture<HttpResponse<String>> inFlight = HTTP.sendAsync(
                    HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/chat/completions"))
                            .header("content-type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(STREAM)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(upstream.takeRequest(Duration.ofSeconds(5))).as("the call reached the upstream").isNotNull();

            CompletableFuture<Void> closed = CompletableFuture.runAsync(gateway::close);
            await().atMost(Duration.ofSeconds(5)).until(() -> !accepts(gateway.port()));
            assertThat(inFlight).as("the stream is still running while new connections are refused").isNotDone();

            closed.get(20, TimeUnit.SECONDS);
            HttpResponse<String> answer = inFlight.get(5, TimeUnit.SECONDS);
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.body()).contains("t0", "t59");
            Map<String, JsonNode> call = RecordedFiles.byRequestId(RecordedFiles.recordings(dir))
                    .get(answer.headers().firstValue("x-gatehouse-request-id").orElseThrow());
            assertThat(call).containsOnlyKeys("request", "response");
            assertThat(call.get("response").path("body").path("content").asText()).isEqualTo(answer.body());
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
            return true;
        } catch (IOException refused) {
            return false;
        }
    }
}
