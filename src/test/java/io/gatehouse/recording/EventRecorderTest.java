package io.gatehouse.recording;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.testing.FakeUpstream;
import io.gatehouse.testing.GatewayTestSupport;
import io.gatehouse.testing.TestGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The event_recorder through a real gateway: one file per session, jsonl and json, metadata or none. */
class EventRecorderTest extends GatewayTestSupport {
    private static final String UPSTREAM_KEY = "sk-event-recorder-upstream-key-0123456789";

    @TempDir
    Path temp;
    private Path dir;
    private FakeUpstream upstream;

    @BeforeEach
    void startUpstream() {
        dir = temp.resolve("events");
        upstream = FakeUpstream.start(vertx);
    }

    @AfterEach
    void stopUpstream() {
        upstream.close();
    }

    private TestGateway.Running gateway(ObjectNode settings) {
        settings.put("output_dir", dir.toString());
        return TestGateway.builder()
                .provider("openai", "openai", upstream.baseUrl(), UPSTREAM_KEY)
                .interceptorConfig("event_recorder", settings)
                .start();
    }

    private static ObjectNode settings() {
        return RecordedFiles.JSON.createObjectNode();
    }

    private static void chat(TestGateway.Running gateway, String sessionId, String text) throws Exception {
        String body = "{\"model\":\"demo-gpt\",\"messages\":[{\"role\":\"user\",\"content\":\"" + text + "\"}]}";
        assertThat(postJson(gateway.baseUrl() + "/v1/chat/completions", body, Map.of("x-gatehouse-session-id", sessionId))
                .statusCode()).isEqualTo(200);
    }

    private static List<String> names(Iterable<JsonNode> events) {
        List<String> names = new ArrayList<>();
        events.forEach(event -> names.add(event.path("name").asText()));
        return names;
    }

    @Test
    void jsonlFilesStartWithMetadataAndHoldOneEventPerLine() throws Exception {
        try (TestGateway.Running gateway = gateway(settings())) {
            chat(gateway, "conv-1", "first");
            chat(gateway, "conv-1", "second");
            chat(gateway, "conv/2:x", "other");
        }
        assertThat(RecordedFiles.list(dir)).extracting(path -> path.getFileName().toString())
                .containsExactlyInAnyOrder("session_conv-1.jsonl", "session_conv2x.jsonl");
        List<JsonNode> lines = RecordedFiles.lines(dir.resolve("session_conv-1.jsonl"));
        JsonNode metadata = lines.get(0).path("_metadata");
        assertThat(metadata.path("format").asText()).isEqualTo("jsonl");
        assertThat(metadata.path("session_id").asText()).isEqualTo("conv-1");
        assertThat(metadata.path("created_at").asText()).endsWith("Z");
        assertThat(metadata.path("interceptor").asText()).isEqualTo("event_recorder");
        List<JsonNode> events = lines.subList(1, lines.size());
        assertThat(names(events)).startsWith("session.start").containsSubsequence(
                "llm.call.start", "llm.call.finish", "llm.call.start", "llm.call.finish");
        assertThat(events).allSatisfy(event -> {
            assertThat(event.path("session_id").asText()).isEqualTo("conv-1");
            assertThat(event.path("schema_version").asText()).isEqualTo("1.0");
            assertThat(event.path("event_id").asText()).hasSize(32);
        });
        assertThat(RecordedFiles.permissions(dir)).isEqualTo("rwx------");
        assertThat(RecordedFiles.permissions(dir.resolve("session_conv-1.jsonl"))).isEqualTo("rw-------");
    }

    @Test
    void jsonlWithoutMetadataHoldsOnlyEvents() throws Exception {
        try (TestGateway.Running gateway = gateway(settings().put("include_metadata", false))) {
            chat(gateway, "plain", "hello");
        }
        List<JsonNode> lines = RecordedFiles.lines(dir.resolve("session_plain.jsonl"));
        assertThat(lines).allSatisfy(line -> assertThat(line.has("name")).isTrue());
        assertThat(names(lines)).contains("llm.call.finish");
    }

    @Test
    void jsonFilesAreOneDocumentPerSessionThatGrowsAcrossRestarts() throws Exception {
        try (TestGateway.Running gateway = gateway(settings().put("file_format", "json"))) {
            chat(gateway, "doc", "one");
            chat(gateway, "doc", "two");
        }
        JsonNode first = RecordedFiles.json(dir.resolve("session_doc.json"));
        int firstCount = first.path("events").size();
        assertThat(names(first.path("events"))).containsSubsequence("session.start", "llm.call.finish", "llm.call.finish");
        JsonNode metadata = first.path("metadata");
        assertThat(metadata.path("format").asText()).isEqualTo("json");
        assertThat(metadata.path("session_id").asText()).isEqualTo("doc");
        assertThat(metadata.path("events_count").asInt()).isEqualTo(firstCount);
        assertThat(metadata.path("interceptor").asText()).isEqualTo("event_recorder");
        assertThat(metadata.path("last_updated").asText()).endsWith("Z");

        try (TestGateway.Running gateway = gateway(settings().put("file_format", "json").put("pretty_print", true))) {
            chat(gateway, "doc", "three");
        }
        JsonNode second = RecordedFiles.json(dir.resolve("session_doc.json"));
        assertThat(second.path("events").size()).isGreaterThan(firstCount);
        assertThat(second.path("events").get(0)).isEqualTo(first.path("events").get(0));
        assertThat(second.path("metadata").path("events_count").asInt()).isEqualTo(second.path("events").size());
        assertThat(second.path("metadata").path("created_at")).isEqualTo(metadata.path("created_at"));
        assertThat(RecordedFiles.text(dir.resolve("session_doc.json"))).contains("\n  \"");
        assertThat(RecordedFiles.permissions(dir.resolve("session_doc.json"))).isEqualTo("rw-------");
    }

    @Test
    void jsonWithoutMetadataIsWrittenToo() throws Exception {
        // The seed wrote nothing at all in this mode (a KeyError on the missing metadata).
        try (TestGateway.Running gateway = gateway(settings().put("file_format", "json").put("include_metadata", false))) {
            chat(gateway, "bare", "one");
            chat(gateway, "bare", "two");
        }
        JsonNode document = RecordedFiles.json(dir.resolve("session_bare.json"));
        assertThat(document.properties()).extracting(Map.Entry::getKey).containsExactly("events");
        assertThat(names(document.path("events"))).containsSubsequence("llm.call.finish", "llm.call.finish");
    }

    @Test
    void eventFilesNeverHoldTheGatewaysKeys() throws Exception {
        try (TestGateway.Running gateway = gateway(settings())) {
            chat(gateway, "secretive", "my key is " + UPSTREAM_KEY);
        }
        String recorded = RecordedFiles.text(dir.resolve("session_secretive.jsonl"));
        assertThat(recorded).doesNotContain(UPSTREAM_KEY).contains("my key is ****6789");
    }
}
