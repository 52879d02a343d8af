package io.gatehouse.recording;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.testing.FakeUpstream;
import io.gatehouse.testing.GatewayTestSupport;
import io.gatehouse.testing.TestGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Closing a gateway lets the calls in flight finish, then writes out every record before it returns. */
class GracefulShutdownTest extends GatewayTestSupport {
    private static final String STREAM = "{\"model\":\"demo-gpt\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"slow\"}]}";

    @Test
    void aStreamInFlightWhenTheGatewayStopsFinishesAndIsRecorded(@TempDir Path dir) throws Exception {
        try (FakeUpstream upstream = FakeUpstream.start(vertx)) {
            upstream.on("POST", "/v1/chat/completions", FakeUpstream.sse(HttpRecorderTest.events(20), 25));
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

            gateway.close();

            HttpResponse<String> answer = inFlight.get(5, TimeUnit.SECONDS);
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.body()).contains("t0", "t19");
            Map<String, JsonNode> call = RecordedFiles.byRequestId(RecordedFiles.recordings(dir))
                    .get(answer.headers().firstValue("x-gatehouse-request-id").orElseThrow());
            assertThat(call).containsOnlyKeys("request", "response");
            assertThat(call.get("response").path("body").path("content").asText()).isEqualTo(answer.body());
        }
    }
}
