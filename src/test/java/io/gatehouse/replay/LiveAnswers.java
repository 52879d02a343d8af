package io.gatehouse.replay;

import io.gatehouse.pipeline.Json;
import io.gatehouse.testing.FakeUpstream;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Scripts a {@link FakeUpstream} as the live side of {@link RecordingFixture#concurrentTraffic()}: the chat route
 * answers each question from a table, with fresh ids and timestamps as a real provider would, and streams in other
 * chunks than were recorded; the Anthropic route streams the recorded text.
 */
public final class LiveAnswers {
    private LiveAnswers() {
    }

    /** The recorded answers: replaying against these changes nothing that matters. */
    public static Map<String, String> recorded() {
        return Map.of("Question A", "Answer A", "Question B", "Answer B");
    }

    public static void install(FakeUpstream upstream, Map<String, String> answers) {
        upstream.on("POST", "/v1/chat/completions", request -> request.body().onSuccess(body -> {
            JsonObject json = body.toJsonObject();
            if (json.getBoolean("stream", false)) {
                // The recorded text, cut at other places than the recording's chunks.
                FakeUpstream.sse(List.of(RecordingFixture.openAiStream("chatcmpl-" + UUID.randomUUID(), "Hello", " the", "re")),
                        0).handle(request);
                return;
            }
            String question = json.getJsonArray("messages").getJsonObject(0).getString("content");
            String answer = answers.get(question);
            if (answer == null) {
                respond(request, 404, "{\"error\":{\"message\":\"no answer scripted\"}}");
            } else {
                respond(request, 200, Json.writeString(
                        RecordingFixture.chatCompletion("chatcmpl-" + UUID.randomUUID(), answer).put("created", System.currentTimeMillis() / 1000)));
            }
        }));
        upstream.on("POST", "/anthropic/v1/messages",
                FakeUpstream.sse(List.of(RecordingFixture.anthropicStream(RecordingFixture.ANTHROPIC_STREAM_TEXT)
                        .replace("msg_1", "msg_live")), 0));
    }

    private static void respond(HttpServerRequest request, int status, String body) {
        request.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(body);
    }
}
