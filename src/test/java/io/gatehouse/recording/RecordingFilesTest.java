package io.gatehouse.recording;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.events.Event;
import io.gatehouse.events.EventBus;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the sinks do with files left by an earlier run, and with a folder they cannot use. */
class RecordingFilesTest {

    @Test
    void aRecordingCutMidLineIsContinuedOnAFreshLine(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("recording_001.jsonl"), "{\"type\":\"request\"}\n{\"type\":\"resp");
        RotatingRecordingFiles files = new RotatingRecordingFiles(dir, 100);
        files.write(() -> RecordedFiles.JSON.createObjectNode().put("type", "request").put("request_id", "gh-2"));
        files.close();
        List<String> lines = Files.readAllLines(dir.resolve("recording_001.jsonl"));
        assertThat(lines).containsExactly("{\"type\":\"request\"}", "{\"type\":\"resp",
                "{\"type\":\"request\",\"request_id\":\"gh-2\"}");
    }

    @Test
    void aSessionLogCutMidLineIsContinuedOnAFreshLineWithoutASecondHead(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("session_s1.jsonl"), "{\"_metadata\":{}}\n{\"name\":\"session.st");
        SessionEventFiles files = new SessionEventFiles(dir, SessionEventFiles.Format.JSONL, false, true);
        files.write(Event.of(Event.SESSION_START, Event.INFO, "s1", "agent", Event.newSpanId(),
                RecordedFiles.JSON.createObjectNode().put("session.id", "s1")));
        files.write(Event.of(Event.SESSION_START, Event.INFO, "s2", "agent", Event.newSpanId(),
                RecordedFiles.JSON.createObjectNode().put("session.id", "s2")));
        files.close();
        List<String> continued = Files.readAllLines(dir.resolve("session_s1.jsonl"));
        assertThat(continued).hasSize(3);
        assertThat(continued.subList(0, 2)).containsExactly("{\"_metadata\":{}}", "{\"name\":\"session.st");
        assertThat(RecordedFiles.JSON.readTree(continued.get(2)).path("session_id").asText()).isEqualTo("s1");
        List<String> fresh = Files.readAllLines(dir.resolve("session_s2.jsonl"));
        assertThat(fresh).hasSize(2);
        assertThat(RecordedFiles.JSON.readTree(fresh.get(0)).path("_metadata").path("session_id").asText()).isEqualTo("s2");
        assertThat(RecordedFiles.JSON.readTree(fresh.get(1)).path("name").asText()).isEqualTo(Event.SESSION_START);
    }

    @Test
    void sessionFilesStayWholeAcrossBatchesOfManySessions(@TempDir Path dir) throws Exception {
        int sessionCount = 300;
        for (SessionEventFiles.Format format : SessionEventFiles.Format.values()) {
            Path folder = Files.createDirectory(dir.resolve(format.name()));
            SessionEventFiles files = new SessionEventFiles(folder, format, false, true);
            for (int batch = 0; batch < 3; batch++) {
                for (int session = 0; session < sessionCount; session++) {
                    files.write(Event.of(batch == 0 ? Event.SESSION_START : Event.LLM_CALL_START, Event.INFO,
                            "s" + session, "agent", Event.newSpanId(),
                            RecordedFiles.JSON.createObjectNode().put("batch", batch)));
                }
                files.flush();
            }
            files.close();
            for (int session = 0; session < sessionCount; session += 37) {
                String id = "s" + session;
                if (format == SessionEventFiles.Format.JSONL) {
                    List<String> lines = Files.readAllLines(folder.resolve("session_" + id + ".jsonl"));
                    assertThat(lines).hasSize(4);
                    assertThat(RecordedFiles.JSON.readTree(lines.get(0)).path("_metadata").path("session_id").asText())
                            .isEqualTo(id);
                    for (int batch = 0; batch < 3; batch++) {
                        assertThat(RecordedFiles.JSON.readTree(lines.get(batch + 1)).path("attributes").path("batch")
                                .asInt()).isEqualTo(batch);
                    }
                } else {
                    JsonNode document = RecordedFiles.json(folder.resolve("session_" + id + ".json"));
                    assertThat(document.path("events")).hasSize(3);
                    assertThat(document.path("events").get(2).path("attributes").path("batch").asInt()).isEqualTo(2);
                    assertThat(document.path("metadata").path("events_count").asInt()).isEqualTo(3);
                }
            }
        }
    }

    @Test
    void anUnreadableSessionDocumentIsMovedAsideNotLost(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("session_s1.json"), "{\"events\":[{\"name\":\"session.st");
        SessionEventFiles files = new SessionEventFiles(dir, SessionEventFiles.Format.JSON, false, true);
        files.write(Event.of(Event.SESSION_START, Event.INFO, "s1", "agent", Event.newSpanId(),
                RecordedFiles.JSON.createObjectNode().put("session.id", "s1")));
        files.close();
        JsonNode document = RecordedFiles.json(dir.resolve("session_s1.json"));
        assertThat(document.path("events")).hasSize(1);
        assertThat(document.path("metadata").path("events_count").asInt()).isEqualTo(1);
        assertThat(RecordedFiles.list(dir)).extracting(path -> path.getFileName().toString())
                .anySatisfy(name -> assertThat(name).startsWith("session_s1.json.unreadable-"));
    }

    @Test
    void aRecorderWhoseFolderCannotBeMadeFailsTheStartWithAClearError(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("not-a-folder"), "x");
        Recorders recorders = new Recorders(new SimpleMeterRegistry(), new EventBus(), "default");
        assertThatThrownBy(() -> recorders.httpRecorder(RecordedFiles.JSON.createObjectNode()
                .put("output_dir", file.resolve("recordings").toString())))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageStartingWith("the http_recorder recorder cannot use its folder");
        recorders.close();
    }
}
