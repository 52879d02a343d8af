package io.gatehouse.proxy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.gatehouse.config.ProviderConfig;
import io.gatehouse.testing.FakeUpstream;
import io.gatehouse.testing.FakeUpstream.RecordedRequest;
import io.gatehouse.testing.GatewayTestSupport;
import io.gatehouse.testing.TestGateway;
import io.vertx.core.http.HttpVersion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** A provider configured with {@code http2: true}: calls go to it over HTTP/2 and share its connections. */
class Http2UpstreamTest extends GatewayTestSupport {
    private static final String KEY = "sk-h2-upstream-0123456789";
    private static final String STREAM_BODY = "{\"model\":\"demo-gpt\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    /** Calls the fake upstream allows at once on one connection. */
    private static final int STREAMS_PER_CONNECTION = 4;
    /** Enough for the gateway to see a closed upstream connection close on loopback, many times over. */
    private static final long CLOSE_NOTICED_MILLIS = 300;
    /** A stream that lasts 3 s, 100 ms apart: long enough to be still under way while a burst comes and goes. */
    private static final int DRAINING_EVENTS = 30;

    private FakeUpstream upstream;
    private TestGateway.Running gateway;
    private OpenAIClient openai;

    @BeforeEach
    void start() {
        upstream = FakeUpstream.startHttp2(vertx, STREAMS_PER_CONNECTION);
        gateway = TestGateway.builder().provider(http2Provider(upstream.baseUrl())).start();
        openai = OpenAIOkHttpClient.builder().baseUrl(gateway.baseUrl() + "/v1").apiKey("client-placeholder")
                .maxRetries(0).build();
    }

    @AfterEach
    void stop() {
        openai.close();
        gateway.close();
        upstream.close();
    }

    private static ProviderConfig http2Provider(String baseUrl) {
        return new ProviderConfig("openai", "openai", baseUrl, KEY, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, true);
    }

    private static ChatCompletionCreateParams chat(String text) {
        return ChatCompletionCreateParams.builder().model("demo-gpt").addUserMessage(text).build();
    }

    private static List<String> events(int count) {
        return IntStream.range(0, count)
                .mapToObj(i -> "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"t" + i + "\"}}]}\n\n").toList();
    }

    private static HttpRequest streamRequest(String url) {
        return HttpRequest.newBuilder(URI.create(url)).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(STREAM_BODY)).build();
    }

    @Test
    void plainAndStreamedCallsGoUpstreamOverHttp2WithTheGatewaysKey() {
        ChatCompletion plain = openai.chat().completions().create(chat("Hello over h2"));
        assertThat(plain.choices().getFirst().message().content()).contains("Echo: Hello over h2");
        RecordedRequest plainRequest = upstream.takeRequest();
        assertThat(plainRequest.version()).isEqualTo(HttpVersion.HTTP_2);
        assertThat(plainRequest.header("authorization")).isEqualTo("Bearer " + KEY);

        ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
        try (StreamResponse<ChatCompletionChunk> stream = openai.chat().completions().createStreaming(chat("stream it"))) {
            stream.stream().forEach(accumulator::accumulate);
        }
        assertThat(accumulator.chatCompletion().choices().getFirst().message().content()).contains("Echo: stream it");
        assertThat(upstream.takeRequest().version()).isEqualTo(HttpVersion.HTTP_2);
    }

    @Test
    void headersOfAnyCaseReachTheUpstreamLowerCasedAndControlHeadersStayBehind() throws Exception {
        HttpResponse<String> response = postJson(gateway.baseUrl() + "/v1/chat/completions",
                "{\"model\":\"demo-gpt\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                Map.of("X-Custom-Trace", "trace-1", "X-Gatehouse-Agent-Id", "agent-1", "Authorization", "Bearer client-key"));

        assertThat(response.statusCode()).isEqualTo(200);
        RecordedRequest recorded = upstream.takeRequest();
        assertThat(recorded.version()).isEqualTo(HttpVersion.HTTP_2);
        assertThat(recorded.headers().names()).contains("x-custom-trace").allMatch(name -> name.equals(name.toLowerCase()));
        assertThat(recorded.header("x-custom-trace")).isEqualTo("trace-1");
        assertThat(recorded.header("x-gatehouse-agent-id")).isNull();
        assertThat(recorded.header("authorization")).isEqualTo("Bearer " + KEY);
    }

    @Test
    void aBurstOnAColdGatewayWaitsForOneConnectionInsteadOfOpeningOneEach() throws Exception {
        upstream.on("POST", "/v1/chat/completions", FakeUpstream.sse(events(5), 100));
        // As many calls at once as one connection takes: the first opens it, the others wait for it.
        streamAtOnce(STREAMS_PER_CONNECTION);
        assertThat(upstream.acceptedConnections()).isEqualTo(1);
        assertThat(upstream.requests()).hasSize(STREAMS_PER_CONNECTION)
                .allMatch(request -> request.version() == HttpVersion.HTTP_2);
    }

    @Test
    void aBurstAfterTheUpstreamClosedItsConnectionWaitsForOneNewConnection() throws Exception {
        streamAtOnce(1);
        int port = upstream.port();
        upstream.close();
        // The gateway learns of the close on its event loop, a moment after the upstream has closed; a burst sent
        // before that goes to the pool as if the old connection were open (a CI run saw 2 connections). Nothing
        // outside the gateway tells when it has, so give it a moment that loopback needs a fraction of.
        Thread.sleep(CLOSE_NOTICED_MILLIS);
        upstream = FakeUpstream.startHttp2(vertx, STREAMS_PER_CONNECTION, port);
        upstream.on("POST", "/v1/chat/completions", FakeUpstream.sse(events(5), 100));

        // The gateway has forgotten the closed connection: the burst opens one, not one per call.
        streamAtOnce(STREAMS_PER_CONNECTION);
        assertThat(upstream.acceptedConnections()).isEqualTo(1);
    }

    @Test
    void aBurstAfterTheUpstreamSaidGoAwayWaitsForOneNewConnection() throws Exception {
        // A long stream keeps the old connection open after its GOAWAY, as an upstream draining for a deploy does.
        upstream.on("POST", "/v1/chat/completions", FakeUpstream.sse(events(DRAINING_EVENTS), 100));
        CompletableFuture<HttpResponse<String>> draining = HTTP.sendAsync(
                streamRequest(gateway.baseUrl() + "/v1/chat/completions"), HttpResponse.BodyHandlers.ofString());
        upstream.takeRequest();
        upstream.shutDownConnections(Duration.ofSeconds(30));
        Thread.sleep(CLOSE_NOTICED_MILLIS);
        upstream.on("POST", "/v1/chat/completions", FakeUpstream.sse(events(5), 100));

        // The old connection takes no new call: the burst opens one new connection, not one per call.
        streamAtOnce(STREAMS_PER_CONNECTION);
        assertThat(upstream.acceptedConnections()).isEqualTo(2);
        assertThat(upstream.openConnections()).isEqualTo(2);

        // The call in flight when the GOAWAY came ends whole, on the old connection.
        HttpResponse<String> drained = draining.get(20, TimeUnit.SECONDS);
        assertThat(drained.statusCode()).isEqualTo(200);
        assertThat(drained.body().split("\n\n")).hasSize(DRAINING_EVENTS);
    }

    @Test
    void concurrentStreamsShareTheConnectionsTheUpstreamAllows() throws Exception {
        upstream.on("POST", "/v1/chat/completions", FakeUpstream.sse(events(5), 100));
        // More than one connection takes: once the first is open, the pool opens one for each call it cannot fit.
        streamAtOnce(12);
        int opened = upstream.acceptedConnections();
        assertThat(opened).isBetween(3, 9);

        // As many at once as those connections take (4 each; the test gateway has one event loop, so one pool):
        // several calls on each connection, and none new.
        int fitting = opened * STREAMS_PER_CONNECTION;
        streamAtOnce(fitting);
        assertThat(upstream.acceptedConnections()).isEqualTo(opened);
        assertThat(upstream.requests()).hasSize(12 + fitting).allMatch(request -> request.version() == HttpVersion.HTTP_2);
    }

    @Test
    void callsWaitingForAConnectionThatCannotBeOpenedFailWithIt() throws Exception {
        int port = upstream.port();
        upstream.close();
        for (CompletableFuture<HttpResponse<String>> response : sendAtOnce(6)) {
            HttpResponse<String> answered = response.get(20, TimeUnit.SECONDS);
            assertThat(answered.statusCode()).isEqualTo(502);
            assertThat(answered.body()).contains("upstream_unreachable");
        }

        // Nothing is left waiting: once the upstream is back, the next call opens a connection and goes through.
        upstream = FakeUpstream.startHttp2(vertx, STREAMS_PER_CONNECTION, port);
        upstream.on("POST", "/v1/chat/completions", FakeUpstream.sse(events(5), 0));
        streamAtOnce(2);
        assertThat(upstream.acceptedConnections()).isEqualTo(1);
    }

    private List<CompletableFuture<HttpResponse<String>>> sendAtOnce(int calls) {
        return IntStream.range(0, calls)
                .mapToObj(i -> HTTP.sendAsync(streamRequest(gateway.baseUrl() + "/v1/chat/completions"),
                        HttpResponse.BodyHandlers.ofString()))
                .toList();
    }

    private void streamAtOnce(int calls) throws Exception {
        for (CompletableFuture<HttpResponse<String>> response : sendAtOnce(calls)) {
            HttpResponse<String> answered = response.get(20, TimeUnit.SECONDS);
            assertThat(answered.statusCode()).isEqualTo(200);
            assertThat(answered.body().split("\n\n")).hasSize(5);
        }
    }

    @Test
    void aClientThatLeavesResetsItsStreamAndTheSharedConnectionStaysOpen() throws Exception {
        upstream.on("POST", "/v1/chat/completions", FakeUpstream.sse(events(100), 100));
        HttpResponse<InputStream> response = HTTP.send(streamRequest(gateway.baseUrl() + "/v1/chat/completions"),
                HttpResponse.BodyHandlers.ofInputStream());
        RecordedRequest recorded = upstream.takeRequest();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            assertThat(reader.readLine()).startsWith("data: ");
        }
        long leftAt = System.nanoTime();

        // The stream would run 10 s; the gateway's reset ends it on the upstream side at once.
        upstream.connectionClosed(recorded).get(5, TimeUnit.SECONDS);
        assertThat(Duration.ofNanos(System.nanoTime() - leftAt)).isLessThan(Duration.ofSeconds(5));
        assertThat(upstream.acceptedConnections()).isEqualTo(1);
        assertThat(upstream.openConnections()).isEqualTo(1);

        upstream.clearOverrides();
        assertThat(openai.chat().completions().create(chat("still there")).choices().getFirst().message().content())
                .contains("Echo: still there");
    }
}
