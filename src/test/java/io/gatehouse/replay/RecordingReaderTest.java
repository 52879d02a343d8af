package io.gatehouse.replay;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RecordingReaderTest {
    @TempDir
    Path directory;

    @Test
    void pairsRecordsByRequestIdAcrossFilesAndOrdersCallsByStartTime() throws Exception {
        // Rotation split the calls: file 10 must come after file 2, though "010" sorts before "2" as text.
        new RecordingFixture()
                .request("late", "openai", "/v1/chat/completions", RecordingFixture.chatRequest("late", false), Map.of(), 20.0)
                .jsonResponse("early", 200, RecordingFixture.chatCompletion("c-early", "early answer"))
                .writeTo(directory, "recording_010.jsonl");
        new RecordingFixture()
                .request("early", "openai", "/v1/chat/completions", RecordingFixture.chatRequest("early", false), Map.of(), 10.0)
                .writeTo(directory, "recording_002.jsonl");
        new RecordingFixture()
                .jsonResponse("late", 201, RecordingFixture.chatCompletion("c-late", "late answer"))
                .writeTo(directory, "recording_011.jsonl");
        Files.writeString(directory.resolve("notes.jsonl"), "not a recording\n");

        Recording recording = Recording.read(directory);

        assertThat(recording.files()).extracting(path -> path.getFileName().toString())
                .containsExactly("recording_002.jsonl", "recording_010.jsonl", "recording_011.jsonl");
        assertThat(recording.calls()).extracting(RecordedCall::requestId).containsExactly("early", "late");
        assertThat(recording.calls().get(0).response().body().content().path("choices").path(0)
                .path("message").path("content").asText()).isEqualTo("early answer");
        assertThat(recording.calls().get(1).response().status()).isEqualTo(201);
        assertThat(recording.problems()).isEmpty();
    }

    @Test
    void reportsEachUnusableRecordWithItsFileAndLine() {
        Path file = new RecordingFixture()
                .raw("{oops")
                .raw("[1,2]")
                .raw("{\"type\":\"request\",\"method\":\"POST\",\"path\":\"/v1/x\"}")
                .raw("{\"type\":\"audit\",\"request_id\":\"r\"}")
                .request("ok", "openai", "/v1/chat/completions", RecordingFixture.chatRequest("q", false), Map.of(), 1.0)
                .request("ok", "openai", "/v1/chat/completions", RecordingFixture.chatRequest("again", false), Map.of(), 2.0)
                .jsonResponse("stray", 200, RecordingFixture.chatCompletion("c", "no request"))
                .raw("")
                .raw("{\"type\":\"response\",\"request_id\":\"ok\",\"status_code\":\"soon\"}")
                .writeTo(directory, "calls.jsonl");

        Recording recording = Recording.read(file);

        assertThat(recording.calls()).extracting(RecordedCall::requestId).containsExactly("ok");
        assertThat(recording.calls().get(0).isUnpaired()).isTrue();
        assertThat(recording.problems()).containsExactly(
                file + ":1: not valid JSON (Unexpected character ('o' (code 111)): was expecting double-quote to start field name)",
                file + ":2: not a JSON object",
                file + ":3: no request_id",
                file + ":4: unknown record type \"audit\" (expected request, response or error)",
                file + ":6: another request record for ok (first at " + file + ":5)",
                file + ":9: response ok has no valid status_code",
                file + ":7: response or error for stray, which has no request record");
    }

    @Test
    void keepsFileOrderWhenStartTimesAreMissing() {
        Path file = new RecordingFixture()
                .raw("{\"type\":\"request\",\"request_id\":\"second-started-first\",\"method\":\"get\",\"url\":\"/v1/models?limit=2\"}")
                .raw("{\"type\":\"request\",\"request_id\":\"b\",\"method\":\"GET\",\"path\":\"/v1/models\",\"start_time\":1}")
                .writeTo(directory, "calls.jsonl");

        Recording recording = Recording.read(file);

        assertThat(recording.calls()).extracting(RecordedCall::requestId).containsExactly("second-started-first", "b");
        RecordedRequest fromUrl = recording.calls().get(0).request();
        assertThat(fromUrl.method()).isEqualTo("GET");
        assertThat(fromUrl.pathAndQuery()).isEqualTo("/v1/models?limit=2");
    }

    @Test
    void aMissingPathOrAnEmptyDirectoryIsAClearError() {
        assertThatThrownBy(() -> Recording.read(directory.resolve("nowhere")))
                .isInstanceOf(RecordingException.class)
                .hasMessage(directory.resolve("nowhere") + ": no such file or directory");
        assertThatThrownBy(() -> Recording.read(directory))
                .isInstanceOf(RecordingException.class)
                .hasMessage(directory + ": no recording_NNN.jsonl files in this directory");
    }
}
