package io.gatehouse.replay;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.config.GatehouseConfig;
import io.gatehouse.config.InterceptorConfig;
import io.gatehouse.config.ProviderConfig;
import io.gatehouse.config.ServerConfig;
import io.gatehouse.events.Event;
import io.gatehouse.pipeline.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

class LocalReplayTest {
    @TempDir
    Path recordings;

    private final List<Event> events = new CopyOnWriteArrayList<>();

    @Test
    void pairsConcurrentCallsByRequestIdAndAssemblesStreamedResponses() throws Exception {
        RecordingFixture.concurrentTraffic().writeTo(recordings, "recording_001.jsonl");
        Recording recording = Recording.read(recordings);

        LocalReport report;
        try (LocalReplay replay = LocalReplay.start(recording, null)) {
            replay.gateway().events().subscribe(events::add);
            report = replay.run(Duration.ZERO, silentProgress(recording));
        }

        // run() returns once the gateway has ended every call, so all their events are out.
        assertThat(ended()).hasSize(6);
        // Each call finished with its own recorded answer, although B's response was recorded before A's.
        assertThat(finishOf("session-a").path("llm.response.content").path(0).path("content").asText()).isEqualTo("Answer A");
        assertThat(finishOf("session-b").path("llm.response.content").path(0).path("content").asText()).isEqualTo("Answer B");
        JsonNode openAiStream = finishOf("session-c");
        assertThat(openAiStream.path("llm.response.content").path(0).path("content").asText())
                .isEqualTo(RecordingFixture.OPENAI_STREAM_TEXT);
        assertThat(openAiStream.path("llm.usage.total_tokens").asLong()).isEqualTo(8);
        JsonNode anthropicStream = finishOf("session-d");
        assertThat(anthropicStream.path("llm.vendor").asText()).isEqualTo("anthropic");
        assertThat(anthropicStream.path("llm.response.content").path(0).path("text").asText())
                .isEqualTo(RecordingFixture.ANTHROPIC_STREAM_TEXT);
        // The failed call and the unpaired request fail again: their upstream connection drops.
        assertThat(ended().stream().filter(event -> event.name().equals(Event.LLM_CALL_ERROR)).map(Event::sessionId))
                .containsExactlyInAnyOrder("session-e", "session-f");

        assertThat(report.calls()).extracting(ReplayedCall::requestId)
                .containsExactly("req-a", "req-b", "req-c", "req-d", "req-e", "req-f");
        assertThat(report.calls()).extracting(ReplayedCall::status).containsExactly(200, 200, 200, 200, 502, 502);
        assertThat(report.changed()).isEmpty();
        assertThat(recording.unpairedCount()).isEqualTo(1);
        assertThat(recording.problems()).singleElement().asString()
                .startsWith(recordings.resolve("recording_001.jsonl") + ":" + RecordingFixture.MALFORMED_LINE + ": not valid JSON");

        StringWriter summary = new StringWriter();
        report.print(new PrintWriter(summary));
        assertThat(summary.toString())
                .contains("Replayed 6 of 6 recorded calls from 1 file through interceptors: printer (session tracking on)")
                .contains("6 answered, 0 without a complete response")
                .contains("1 unpaired request")
                .contains("1 unusable record skipped");
    }

    @Test
    void routesEachCallToItsRecordedProviderThroughTheConfiguredInterceptorsButNeverRecordsItself() throws Exception {
        // The recorded path lacks the provider prefix: the call went to "claude", which is not the default.
        new RecordingFixture()
                .request("req-1", "claude", "/v1/messages", RecordingFixture.messagesRequest("Salut", false),
                        Map.of("x-gatehouse-session-id", "session-claude"), 5.0)
                .jsonResponse("req-1", 200, RecordingFixture.anthropicMessage("msg_9", "Salut !"))
                .request("req-2", "openai", "/v1/chat/completions", RecordingFixture.chatRequest("Hi", false),
                        Map.of("x-gatehouse-session-id", "session-openai"), 6.0)
                .jsonResponse("req-2", 200, RecordingFixture.chatCompletion("chatcmpl-2", "Hi back"))
                .writeTo(recordings, "calls.jsonl");
        Path recorderOutput = recordings.resolve("recorder-output");
        GatehouseConfig config = new GatehouseConfig(new ServerConfig(4000, "127.0.0.1", 2, null), null,
                List.of(new ProviderConfig("openai", "openai", "https://api.openai.com", "sk-live-key-never-used", null, null, null, null),
                        new ProviderConfig("claude", "anthropic", "https://api.anthropic.com", null, null, null, null, null)),
                "openai",
                List.of(new InterceptorConfig(ReplayGatewayConfig.RECORDER_TYPE, true,
                                Json.MAPPER.createObjectNode().put("output_dir", recorderOutput.toString())),
                        new InterceptorConfig("printer", true, null)),
                null, null, null, null, null, null, null, null, null);
        Recording recording = Recording.read(recordings.resolve("calls.jsonl"));

        LocalReport report;
        try (LocalReplay replay = LocalReplay.start(recording, config)) {
            replay.gateway().events().subscribe(events::add);
            report = replay.run(Duration.ZERO, silentProgress(recording));
            assertThat(ReplayGatewayConfig.providerNames(replay.config())).containsExactlyInAnyOrder("openai", "claude");
            assertThat(replay.config().interceptors()).extracting(InterceptorConfig::type).containsExactly("printer");
        }

        assertThat(ended()).hasSize(2);
        JsonNode claude = finishOf("session-claude");
        assertThat(claude.path("llm.vendor").asText()).isEqualTo("anthropic");
        assertThat(claude.path("llm.response.content").path(0).path("text").asText()).isEqualTo("Salut !");
        assertThat(finishOf("session-openai").path("llm.vendor").asText()).isEqualTo("openai");
        assertThat(report.calls()).extracting(ReplayedCall::status).containsExactly(200, 200);
        assertThat(recorderOutput).doesNotExist();
    }

    @Test
    void replaysAStreamCutMidwayAsACutStream() throws Exception {
        // A stream cut after its headers: the recorder wrote its response, then an error.
        new RecordingFixture()
                .request("req-cut", "openai", "/v1/chat/completions", RecordingFixture.chatRequest("Stream", true),
                        Map.of(), 1.0)
                .sseResponse("req-cut", RecordingFixture.openAiStream("chatcmpl-x", "Half"))
                .error("req-cut", "stream_cut", "upstream closed the connection", 200)
                .writeTo(recordings, "cut.jsonl");
        Recording recording = Recording.read(recordings.resolve("cut.jsonl"));

        try (LocalReplay replay = LocalReplay.start(recording, null)) {
            replay.gateway().events().subscribe(events::add);
            replay.run(Duration.ZERO, silentProgress(recording));
        }

        // The stream is cut again where it was, so the call ends in an error, as it did live.
        assertThat(ended()).singleElement().extracting(Event::name).isEqualTo(Event.LLM_CALL_ERROR);
    }

    private List<Event> ended() {
        return events.stream()
                .filter(event -> event.name().equals(Event.LLM_CALL_FINISH) || event.name().equals(Event.LLM_CALL_ERROR))
                .toList();
    }

    private JsonNode finishOf(String sessionId) {
        Optional<Event> finish = events.stream()
                .filter(event -> event.name().equals(Event.LLM_CALL_FINISH) && sessionId.equals(event.sessionId()))
                .findFirst();
        assertThat(finish).as("llm.call.finish of " + sessionId + " in " + events).isPresent();
        return finish.get().attributes();
    }

    private static ProgressBar silentProgress(Recording recording) {
        return new ProgressBar(new PrintWriter(Writer.nullWriter()), recording.size(), false);
    }
}
