package io.gatehouse.replay;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.config.ProviderConfig;
import io.gatehouse.events.Event;
import io.gatehouse.pipeline.Json;
import io.gatehouse.testing.FakeUpstream;
import io.gatehouse.testing.GatewayTestSupport;
import io.gatehouse.testing.TestGateway;
import io.vertx.core.http.HttpServerRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.Writer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The http_recorder's real output is replay's input: concurrent calls, plain and streamed, recorded by a live
 * gateway whose answers finish out of order, then replayed; each call must end with its own answer.
 */
class RecordThenReplayTest extends GatewayTestSupport {
    private static final int CALLS = 8;

    @TempDir
    Path temp;
    private FakeUpstream upstream;

    @BeforeEach
    void startUpstream() {
        upstream = FakeUpstream.start(vertx).on("POST", "/v1/chat/completions", RecordThenReplayTest::echoLater);
    }

    @AfterEach
    void stopUpstream() {
        upstream.close();
    }

    /**
     * Answers with the user's message echoed, later for earlier questions, so the recorder writes responses in
     * the opposite order of their requests; streamed when asked, in three chunks.
     */
    private static void echoLater(HttpServerRequest request) {
        request.body().onSuccess(body -> {
            JsonNode json = readJson(body.toString());
            String question = json.path("messages").path(0).path("content").asText();
            int index = Integer.parseInt(question.replaceAll("\\D", ""));
            String answer = "echo: " + question;
            long delay = 20L + (CALLS - index) * 40L;
            vertx.setTimer(delay, id -> {
                if (json.path("stream").asBoolean()) {
                    request.response().setChunked(true).putHeader("content-type", "text/event-stream");
                    for (String piece : List.of("echo: ", "question ", String.valueOf(index))) {
                        request.response().write("data: {\"id\":\"chatcmpl-" + index + "\",\"object\":\"chat.completion.chunk\","
                                + "\"model\":\"demo-gpt\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + piece
                                + "\"},\"finish_reason\":null}]}\n\n");
                    }
                    request.response().write("data: {\"id\":\"chatcmpl-" + index + "\",\"object\":\"chat.completion.chunk\","
                            + "\"model\":\"demo-gpt\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n");
                    request.response().end("data: [DONE]\n\n");
                } else {
                    request.response().putHeader("content-type", "application/json").end("{\"id\":\"chatcmpl-" + index
                            + "\",\"object\":\"chat.completion\",\"model\":\"demo-gpt\",\"choices\":[{\"index\":0,"
                            + "\"message\":{\"role\":\"assistant\",\"content\":\"" + answer + "\"},\"finish_reason\":\"stop\"}],"
                            + "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":3,\"total_tokens\":6}}");
                }
            });
        });
    }

    @Test
    void replayPairsWhatTheRecorderWroteAndEveryCallGetsItsOwnAnswer() throws Exception {
        Path recordings = temp.resolve("http");
        try (TestGateway.Running gateway = TestGateway.builder()
                .provider(new ProviderConfig("openai", "openai", upstream.baseUrl(), "sk-upstream-key-for-recording", null, 5.0, null, 0))
                .interceptorConfig("http_recorder", Json.MAPPER.createObjectNode().put("output_dir", recordings.toString()))
                .start()) {
            List<CompletableFuture<HttpResponse<String>>> calls = IntStream.range(0, CALLS).mapToObj(index ->
                    CompletableFuture.supplyAsync(() -> post(gateway.baseUrl(), index))).toList();
            for (CompletableFuture<HttpResponse<String>> call : calls) {
                assertThat(call.get().statusCode()).isEqualTo(200);
            }
        } // Closing the gateway drains the recorder.

        Recording recording = Recording.read(recordings);
        assertThat(recording.size()).isEqualTo(CALLS);
        assertThat(recording.unpairedCount()).isZero();
        assertThat(recording.problems()).isEmpty();

        List<Event> events = new CopyOnWriteArrayList<>();
        LocalReport report;
        try (LocalReplay replay = LocalReplay.start(recording, null)) {
            replay.gateway().events().subscribe(events::add);
            report = replay.run(Duration.ZERO, new ProgressBar(new PrintWriter(Writer.nullWriter()), recording.size(), false));
        }

        assertThat(report.calls()).extracting(ReplayedCall::status).containsOnly(200).hasSize(CALLS);
        Map<String, String> questionBySession = new HashMap<>();
        Map<String, String> answerBySession = new HashMap<>();
        for (Event event : events) {
            if (event.name().equals(Event.LLM_CALL_START)) {
                questionBySession.put(event.sessionId(),
                        event.attributes().path("llm.request.data").path("messages").path(0).path("content").asText());
            } else if (event.name().equals(Event.LLM_CALL_FINISH)) {
                answerBySession.put(event.sessionId(),
                        event.attributes().path("llm.response.content").path(0).path("content").asText());
            }
        }
        assertThat(answerBySession).hasSize(CALLS);
        List<String> mismatches = new ArrayList<>();
        answerBySession.forEach((session, answer) -> {
            if (!answer.equals("echo: " + questionBySession.get(session))) {
                mismatches.add(questionBySession.get(session) + " -> " + answer);
            }
        });
        assertThat(mismatches).as("calls answered with another call's response").isEmpty();
    }

    private static JsonNode readJson(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static HttpResponse<String> post(String baseUrl, int index) {
        boolean stream = index % 2 == 1;
        String body = "{\"model\":\"demo-gpt\",\"stream\":" + stream
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"question " + index + "\"}]}";
        try {
            return postJson(baseUrl + "/v1/chat/completions", body, Map.of("authorization", "Bearer client-key"));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
