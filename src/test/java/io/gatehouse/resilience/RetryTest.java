package io.gatehouse.resilience;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.gatehouse.pipeline.CallEnd;
import io.gatehouse.pipeline.CallOutcome;
import io.gatehouse.testing.FakeUpstream;
import io.gatehouse.testing.RecordingInterceptor;
import io.gatehouse.testing.TestGateway;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Retries through a real gateway against a fake provider that fails on cue. */
class RetryTest extends ResilienceTestSupport {
    private static final String PATH = "/v1/chat/completions";
    private FakeUpstream upstream;

    @BeforeEach
    void startUpstream() {
        upstream = FakeUpstream.start(vertx);
    }

    @AfterEach
    void stopUpstream() {
        upstream.close();
    }

    private String provider(String retry) {
        return """
                - name: openai
                  type: openai
                  base_url: %s
                  api_key: sk-upstream-key-0001
                  retry: %s
                """.formatted(upstream.baseUrl(), retry);
    }

    @Test
    void serverErrorsAreRetriedUntilTheThirdAttemptSucceedsAndTheClientSeesOneAnswer() throws Exception {
        upstream.on("POST", PATH, failFirst(2, FakeUpstream.respond(503, "application/json", OVERLOADED),
                FakeUpstream.respond(200, "application/json", CHAT_ANSWER)));
        List<String> log = new CopyOnWriteArrayList<>();
        RecordingInterceptor recorder = new RecordingInterceptor("recorder", log);
        try (TestGateway.Running gateway = gateway(provider("{max_attempts: 3, base_delay_ms: 5}"), recorder)) {
            String body = "{\"model\":\"gpt-4o\",  \"messages\":[{\"role\":\"user\",\"content\":\"h\\u00e9\"}]}";
            HttpResponse<String> response = postJson(gateway.baseUrl() + PATH, body, Map.of());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo(CHAT_ANSWER);
            assertThat(response.headers().firstValue("x-gatehouse-upstream")).hasValue("openai/0");
            assertThat(upstream.requests()).hasSize(3)
                    .allSatisfy(request -> assertThat(request.bodyAsString()).isEqualTo(body));
            CallEnd end = recorder.awaitEnd();
            assertThat(end.outcome()).isEqualTo(CallOutcome.COMPLETED);
            assertThat(end.status()).isEqualTo(200);
            assertThat(log).containsExactly("recorder:request", "recorder:response", "recorder:end:COMPLETED");
            assertThat(recorder.ends.poll(200, TimeUnit.MILLISECONDS)).isNull();
            assertThat(lines(metrics(gateway), "gatehouse_upstream_retries_total"))
                    .containsExactly("gatehouse_upstream_retries_total{provider=\"openai\",reason=\"status_503\"} 2.0");
        }
    }

    @Test
    void exhaustedRetriesPassTheLastAnswerThroughAsItCame() throws Exception {
        upstream.on("POST", PATH, FakeUpstream.respond(500, "application/json", OVERLOADED, Map.of("x-upstream", "yes")));
        try (TestGateway.Running gateway = gateway(provider("{max_attempts: 2, base_delay_ms: 5}"))) {
            HttpResponse<String> response = chat(gateway, "");

            assertThat(response.statusCode()).isEqualTo(500);
            assertThat(response.body()).isEqualTo(OVERLOADED);
            assertThat(response.headers().firstValue("x-upstream")).hasValue("yes");
            assertThat(upstream.requests()).hasSize(2);
        }
    }

    @Test
    void retryAfterIsHonouredBeforeTheNextAttempt() throws Exception {
        List<Long> arrivals = new CopyOnWriteArrayList<>();
        Handler<HttpServerRequest> throttled = failFirst(1,
                FakeUpstream.respond(429, "application/json", "{\"error\":{\"message\":\"slow down\"}}", Map.of("retry-after", "1")),
                FakeUpstream.respond(200, "application/json", CHAT_ANSWER));
        upstream.on("POST", PATH, request -> {
            arrivals.add(System.nanoTime());
            throttled.handle(request);
        });
        try (TestGateway.Running gateway = gateway(provider("{max_attempts: 2, base_delay_ms: 1}"))) {
            HttpResponse<String> response = chat(gateway, "");

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(arrivals).hasSize(2);
            assertThat(Duration.ofNanos(arrivals.get(1) - arrivals.get(0))).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        }
    }

    @Test
    void retryAfterBeyondTheCapIsNotWaitedForAndThe429GoesBack() throws Exception {
        upstream.on("POST", PATH, FakeUpstream.respond(429, "application/json", "{\"error\":{\"message\":\"quota\"}}",
                Map.of("retry-after", "120")));
        try (TestGateway.Running gateway = gateway(provider("{max_attempts: 3, max_delay_ms: 5000}"))) {
            HttpResponse<String> response = chat(gateway, "");

            assertThat(response.statusCode()).isEqualTo(429);
            assertThat(response.headers().firstValue("retry-after")).hasValue("120");
            assertThat(upstream.requests()).hasSize(1);
        }
    }

    @Test
    void droppedConnectionsAreRetried() throws Exception {
        upstream.on("POST", PATH, failFirst(2, dropConnection(), FakeUpstream.respond(200, "application/json", CHAT_ANSWER)));
        try (TestGateway.Running gateway = gateway(provider("{max_attempts: 3, base_delay_ms: 5}"))) {
            HttpResponse<String> response = chat(gateway, "");

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(upstream.requests()).hasSize(3);
            assertThat(lines(metrics(gateway), "gatehouse_upstream_retries_total"))
                    .containsExactly("gatehouse_upstream_retries_total{provider=\"openai\",reason=\"connect_error\"} 2.0");
        }
    }

    @Test
    void withoutARetryBlockOnlyFailedConnectionsAreRetried() throws Exception {
        upstream.on("POST", PATH, FakeUpstream.respond(503, "application/json", OVERLOADED));
        String plain = """
                - name: openai
                  type: openai
                  base_url: %s
                  max_retries: 3
                """.formatted(upstream.baseUrl());
        try (TestGateway.Running gateway = gateway(plain)) {
            assertThat(chat(gateway, "").statusCode()).isEqualTo(503);
            assertThat(upstream.requests()).hasSize(1);

            upstream.on("POST", PATH, failFirst(3, dropConnection(), FakeUpstream.respond(200, "application/json", CHAT_ANSWER)));
            assertThat(chat(gateway, "").statusCode()).isEqualTo(200);
            assertThat(upstream.requests()).hasSize(1 + 4);
        }
    }

    /**
     * A stream's request is re-sent whole until its answer is chosen; once it streams, the call keeps the request's
     * JSON for its end but no longer its body bytes.
     */
    @Test
    void aStreamIsRetriedWithItsWholeBodyAndEndsWithoutHoldingTheBytes() throws Exception {
        List<String> events = List.of(
                "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}\n\n",
                "data: [DONE]\n\n");
        upstream.on("POST", PATH, failFirst(2, dropConnection(), FakeUpstream.sse(events, 0)));
        List<String> log = new CopyOnWriteArrayList<>();
        RecordingInterceptor recorder = new RecordingInterceptor("recorder", log);
        try (TestGateway.Running gateway = gateway(provider("{max_attempts: 3, base_delay_ms: 5}"), recorder)) {
            String body = "{\"model\":\"gpt-4o\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"h\\u00e9\"}]}";
            HttpResponse<String> response = postJson(gateway.baseUrl() + PATH, body, Map.of());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo(String.join("", events));
            assertThat(upstream.requests()).hasSize(3)
                    .allSatisfy(request -> assertThat(request.bodyAsString()).isEqualTo(body));
            CallEnd end = recorder.awaitEnd();
            assertThat(end.outcome()).isEqualTo(CallOutcome.COMPLETED);
            assertThat(end.request().json().path("messages").path(0).path("content").asText()).isEqualTo("h\u00e9");
            assertThat(end.request().body().length()).isZero();
        }
    }

    /** The same dropped connection that is retried before a response is not retried once events have gone out. */
    @Test
    void aStreamCutAfterItsFirstEventsIsNeverRetried() throws Exception {
        List<String> events = List.of(
                "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"}}]}\n\n",
                "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo\"}}]}\n\n");
        upstream.on("POST", PATH, FakeUpstream.sseThenCut(events, 0));
        List<String> log = new CopyOnWriteArrayList<>();
        RecordingInterceptor recorder = new RecordingInterceptor("recorder", log);
        try (TestGateway.Running gateway = gateway(provider("{max_attempts: 5, base_delay_ms: 1, on_connect_error: true}"), recorder)) {
            HttpResponse<String> response = postJson(gateway.baseUrl() + PATH,
                    "{\"model\":\"gpt-4o\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", Map.of());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).startsWith(events.get(0) + events.get(1)).contains("upstream_broken");
            assertThat(response.body().split("\"content\":\"Hel\"", -1)).hasSize(2);
            assertThat(upstream.requests()).hasSize(1);
            assertThat(recorder.awaitEnd().outcome()).isEqualTo(CallOutcome.FAILED);
        }
    }

    @Test
    void theOpenAiSdkWithoutRetriesOfItsOwnSeesTheGatewaysRetriedSuccess() throws Exception {
        upstream.on("POST", PATH, failFirst(2, FakeUpstream.respond(502, "application/json", OVERLOADED),
                FakeUpstream.respond(200, "application/json", CHAT_ANSWER)));
        try (TestGateway.Running gateway = gateway(provider("{max_attempts: 3, base_delay_ms: 5}"))) {
            OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(gateway.baseUrl() + "/v1")
                    .apiKey("sk-client").maxRetries(0).build();
            try {
                ChatCompletion completion = client.chat().completions().create(ChatCompletionCreateParams.builder()
                        .model("gpt-4o").addUserMessage("hi").build());
                assertThat(completion.choices().getFirst().message().content()).hasValue("hello");
            } finally {
                client.close();
            }
            assertThat(upstream.requests()).hasSize(3)
                    .allSatisfy(request -> assertThat(request.header("authorization")).isEqualTo("Bearer sk-upstream-key-0001"));
        }
    }
}
