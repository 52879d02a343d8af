package io.gatehouse.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.config.ProviderConfig;
import io.gatehouse.pipeline.CallEnd;
import io.gatehouse.pipeline.CallOutcome;
import io.gatehouse.pipeline.ErrorKind;
import io.gatehouse.pipeline.Json;
import io.gatehouse.testing.FakeUpstream;
import io.gatehouse.testing.GatewayTestSupport;
import io.gatehouse.testing.RecordingInterceptor;
import io.gatehouse.testing.TestGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class StreamingTest extends GatewayTestSupport {
    private static final String STREAM_BODY = "{\"model\":\"demo-gpt\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable closeable : closeables.reversed()) {
            closeable.close();
        }
    }

    private FakeUpstream upstream() {
        FakeUpstream upstream = FakeUpstream.start(vertx);
        closeables.add(upstream::close);
        return upstream;
    }

    private TestGateway.Running gateway(ProviderConfig provider, RecordingInterceptor recorder) {
        TestGateway builder = TestGateway.builder().provider(provider);
        if (recorder != null) {
            builder.interceptor(recorder);
        }
        TestGateway.Running running = builder.start();
        closeables.add(running);
        return running;
    }

    private static ProviderConfig provider(String baseUrl, Double timeout, Double connectTimeout, Double idleTimeout, Integer retries) {
        return new ProviderConfig("openai", "openai", baseUrl, "sk-k", timeout, connectTimeout, idleTimeout, retries);
    }

    private static List<String> events(int count) {
        return IntStream.range(0, count)
                .mapToObj(i -> "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"t" + i + "\"}}]}\n\n").toList();
    }

    /** Each non-empty line of the response with the time it arrived. */
    private record Line(long nanos, String text) {
    }

    private static List<Line> readLines(String url) throws Exception {
        HttpResponse<java.io.InputStream> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                .POST(HttpRequest.BodyPublishers.ofString(STREAM_BODY)).header("content-type", "application/json").build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type").orElse("")).startsWith("text/event-stream");
        List<Line> lines = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            for (String line; (line = reader.readLine()) != null; ) {
                if (!line.isEmpty()) {
                    lines.add(new Line(System.nanoTime(), line));
                }
            }
        }
        return lines;
    }

    @Test
    void eventsArriveAsTheyAreSentNotAllAtTheEnd() throws Exception {
        FakeUpstream upstream = upstream();
        upstream.on("POST", "/v1/chat/completions", FakeUpstream.sse(events(20), 50));
        TestGateway.Running gateway = gateway(provider(upstream.baseUrl(), null, null, null, null), null);
        List<Line> lines = readLines(gateway.baseUrl() + "/v1/chat/completions");
        assertThat(lines).hasSize(20);
        long spreadMillis = (lines.get(19).nanos() - lines.get(0).nanos()) / 1_000_000;
        // 19 gaps of 50 ms upstream: a buffering proxy would deliver them together.
        assertThat(spreadMillis).isGreaterThan(600);
        assertThat(lines).extracting(Line::text).containsExactlyElementsOf(
                events(20).stream().map(String::strip).toList());
    }

    @Test
    void aStreamThatKeepsSendingNeverHitsTheIdleTimeout() throws Exception {
        FakeUpstream upstream = upstream();
        upstream.on("POST", "/v1/chat/completions", FakeUpstream.sse(events(12), 100));
        TestGateway.Running gateway = gateway(provider(upstream.baseUrl(), 0.5, null, 0.3, null), null);
        List<Line> lines = readLines(gateway.baseUrl() + "/v1/chat/completions");
        assertThat(lines).hasSize(12);
        assertThat(lines.getLast().text()).contains("t11");
    }

    @Test
    void upstreamCutMidStreamEndsTheClientStreamWithAnErrorEvent() throws Exception {
        FakeUpstream upstream = upstream();
        upstream.on("POST", "/v1/chat/completions", FakeUpstream.sseThenCut(events(3), 10));
        RecordingInterceptor recorder = new RecordingInterceptor("rec", new CopyOnWriteArrayList<>());
        TestGateway.Running gateway = gateway(provider(upstream.baseUrl(), null, null, null, null), recorder);
        List<Line> lines = readLines(gateway.baseUrl() + "/v1/chat/completions");
        assertThat(lines).hasSize(4);
        JsonNode error = Json.MAPPER.readTree(lines.get(3).text().substring("data: ".length())).get("error");
        assertThat(error.get("code").asText()).isEqualTo("upstream_broken");
        CallEnd end = recorder.awaitEnd();
        assertThat(end.outcome()).isEqualTo(CallOutcome.FAILED);
        assertThat(end.failure().kind()).isEqualTo(ErrorKind.UPSTREAM_BROKEN);
        assertThat(recorder.ends).isEmpty();
    }

    @Test
    void aStreamThatGoesQuietIsEndedByTheIdleTimeout() throws Exception {
        FakeUpstream upstream = upstream();
        upstream.on("POST", "/v1/chat/completions", FakeUpstream.sse(events(2), 10_000));
        TestGateway.Running gateway = gateway(provider(upstream.baseUrl(), null, null, 0.4, null), null);
        long start = System.nanoTime();
        List<Line> lines = readLines(gateway.baseUrl() + "/v1/chat/completions");
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(5_000);
        assertThat(lines).hasSize(2);
        JsonNode error = Json.MAPPER.readTree(lines.get(1).text().substring("data: ".length())).get("error");
        assertThat(error.get("type").asText()).isEqualTo("timeout_error");
        assertThat(error.get("code").asText()).isEqualTo("upstream_idle_timeout");
    }

    @Test
    void noResponseHeadersInTimeIsA504() throws Exception {
        FakeUpstream upstream = upstream();
        upstream.on("POST", "/v1/chat/completions", FakeUpstream.hang());
        TestGateway.Running gateway = gateway(provider(upstream.baseUrl(), 0.4, null, null, null), null);
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/chat/completions"))
                .POST(HttpRequest.BodyPublishers.ofString(STREAM_BODY)).header("content-type", "application/json").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(504);
        assertThat(Json.MAPPER.readTree(response.body()).path("error").path("code").asText()).isEqualTo("upstream_timeout");
    }

    @Test
    void aConnectionThatCannotBeMadeInTimeIsA504() throws Exception {
        // A listener whose accept queue is full drops new SYNs, so connecting to it times out.
        try (ServerSocket full = new ServerSocket()) {
            full.bind(new InetSocketAddress("127.0.0.1", 0), 1);
            List<Socket> fillers = new ArrayList<>();
            try {
                for (int i = 0; i < 16; i++) {
                    Socket socket = new Socket();
                    fillers.add(socket);
                    try {
                        socket.connect(full.getLocalSocketAddress(), 200);
                    } catch (SocketTimeoutException queueFull) {
                        break;
                    }
                }
                TestGateway.Running gateway = gateway(provider("http://127.0.0.1:" + full.getLocalPort(), null, 0.3, null, 0), null);
                HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/chat/completions"))
                        .POST(HttpRequest.BodyPublishers.ofString(STREAM_BODY)).header("content-type", "application/json").build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).isEqualTo(504);
                assertThat(Json.MAPPER.readTree(response.body()).path("error").path("code").asText()).isEqualTo("upstream_connect_timeout");
            } finally {
                for (Socket socket : fillers) {
                    socket.close();
                }
            }
        }
    }

    @Test
    void aClientThatLeavesMidStreamClosesTheUpstreamConnection() throws Exception {
        FakeUpstream upstream = upstream();
        upstream.on("POST", "/v1/chat/completions", FakeUpstream.sse(events(200), 50));
        RecordingInterceptor recorder = new RecordingInterceptor("rec", new CopyOnWriteArrayList<>());
        TestGateway.Running gateway = gateway(provider(upstream.baseUrl(), null, null, null, null), recorder);
        try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
            sendStreamRequest(socket);
            BufferedReader reader = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            for (String line; (line = reader.readLine()) != null; ) {
                if (line.startsWith("data:")) {
                    break;
                }
            }
        }
        FakeUpstream.RecordedRequest seen = upstream.takeRequest(Duration.ofSeconds(5));
        assertThat(upstream.awaitConnectionClosedAfter(seen, Duration.ofSeconds(5))).as("upstream connection closed").isTrue();
        CallEnd end = recorder.awaitEnd();
        assertThat(end.outcome()).isEqualTo(CallOutcome.ABORTED);
        assertThat(end.bytesOut()).isLessThan(200 * 40);
    }

    @Test
    void aClientThatLeavesBeforeTheAnswerCancelsTheUpstreamRequest() throws Exception {
        FakeUpstream upstream = upstream();
        upstream.on("POST", "/v1/chat/completions", FakeUpstream.hang());
        RecordingInterceptor recorder = new RecordingInterceptor("rec", new CopyOnWriteArrayList<>());
        TestGateway.Running gateway = gateway(provider(upstream.baseUrl(), null, null, null, null), recorder);
        FakeUpstream.RecordedRequest seen;
        try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
            sendStreamRequest(socket);
            seen = upstream.takeRequest(Duration.ofSeconds(5));
        }
        assertThat(upstream.awaitConnectionClosedAfter(seen, Duration.ofSeconds(5))).isTrue();
        assertThat(recorder.awaitEnd().outcome()).isEqualTo(CallOutcome.ABORTED);
    }

    private static void sendStreamRequest(Socket socket) throws Exception {
        byte[] body = STREAM_BODY.getBytes(StandardCharsets.UTF_8);
        OutputStream out = socket.getOutputStream();
        out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
    }
}
