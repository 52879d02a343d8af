package io.gatehouse.replay;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.pipeline.Json;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ResponseComparisonTest {
    private final ResponseComparison comparison = new ResponseComparison(new JsonDiff(List.of()));

    @Test
    void comparesStreamsByTheirAssembledContent() {
        RecordedCall call = streamedCall("openai", "/v1/chat/completions",
                RecordingFixture.openAiStream("chatcmpl-1", "Hello", " there"));

        assertThat(comparison.compare(call, sse(RecordingFixture.openAiStream("chatcmpl-2", "Hel", "lo there")))).isEmpty();
        assertThat(comparison.compare(call, sse(RecordingFixture.openAiStream("chatcmpl-2", "Goodbye"))))
                .containsExactly(new Difference("$.choices[0].message.content", "\"Hello there\"", "\"Goodbye\""));
    }

    @Test
    void assemblesAnthropicStreamsToo() {
        RecordedCall call = streamedCall("anthropic", "/anthropic/v1/messages", RecordingFixture.anthropicStream("Bonjour"));

        assertThat(comparison.compare(call, sse(RecordingFixture.anthropicStream("Bonsoir"))))
                .containsExactly(new Difference("$.content[0].text", "\"Bonjour\"", "\"Bonsoir\""));
    }

    @Test
    void aStreamCutShortDiffersFromACompleteOne() {
        String complete = RecordingFixture.openAiStream("chatcmpl-1", "Hello");
        RecordedCall call = streamedCall("openai", "/v1/chat/completions", complete);

        assertThat(comparison.compare(call, sse(complete.replace("data: [DONE]\n\n", ""))))
                .containsExactly(new Difference("stream", "complete", "cut off"));
    }

    @Test
    void aJsonAnswerWhereAStreamWasRecordedIsReportedAsSuch() {
        RecordedCall call = streamedCall("openai", "/v1/chat/completions", RecordingFixture.openAiStream("c", "Hi"));
        LiveResponse json = new LiveResponse(200, Map.of("content-type", "application/json"),
                Json.write(RecordingFixture.chatCompletion("c", "Hi")));

        assertThat(comparison.compare(call, json)).containsExactly(new Difference("body", "an event stream", "a JSON body"));
    }

    @Test
    void textBodiesCompareByteForByte() {
        RecordedCall call = new RecordedCall(request("openai", "/v1/models"), new RecordedResponse(500,
                Map.of("content-type", "text/plain"), new RecordedBody("text", Json.MAPPER.getNodeFactory().textNode("oops"), false),
                false), null);

        assertThat(comparison.compare(call, text(500, "oops"))).isEmpty();
        assertThat(comparison.compare(call, text(502, "bad gateway"))).containsExactly(
                new Difference("status", "500", "502"), new Difference("body", "\"oops\"", "\"bad gateway\""));
    }

    private static RecordedCall streamedCall(String provider, String path, String sse) {
        RecordedBody body = new RecordedBody("text", Json.MAPPER.getNodeFactory().textNode(sse), false);
        return new RecordedCall(request(provider, path),
                new RecordedResponse(200, Map.of("content-type", "text/event-stream"), body, true), null);
    }

    private static RecordedRequest request(String provider, String path) {
        JsonNode body = RecordingFixture.chatRequest("Hi", true);
        return new RecordedRequest("req-1", "POST", path, "", Map.of(), new RecordedBody("json", body, false), provider,
                1.0, "test:1");
    }

    private static LiveResponse sse(String text) {
        return new LiveResponse(200, Map.of("content-type", "text/event-stream"), text.getBytes(StandardCharsets.UTF_8));
    }

    private static LiveResponse text(int status, String text) {
        return new LiveResponse(status, Map.of("content-type", "text/plain"), text.getBytes(StandardCharsets.UTF_8));
    }
}
