package io.gatehouse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.pipeline.Json;
import io.gatehouse.replay.LiveAnswers;
import io.gatehouse.replay.RecordingFixture;
import io.gatehouse.testing.FakeUpstream;
import io.gatehouse.testing.GatewayTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ReplayCommandTest extends GatewayTestSupport {
    private static final String KEY = "sk-replay-test-0123456789abcdef";

    @TempDir
    Path directory;
    private Path recordingFile;
    private FakeUpstream live;

    @BeforeEach
    void writeTheRecording() {
        recordingFile = RecordingFixture.concurrentTraffic().writeTo(directory, "recording_001.jsonl");
        live = FakeUpstream.start(vertx);
    }

    @AfterEach
    void stopTheLiveSide() {
        live.close();
    }

    @Test
    void helpDescribesTheCommand() {
        CliHarness cli = new CliHarness();
        assertThat(cli.execute("replay", "--help")).isZero();
        assertThat(cli.out()).contains("Usage: gatehouse replay").contains("FILE|DIR").contains("--target")
                .contains("--delay").contains("--header").contains("--json");
    }

    @Test
    void replaysADirectoryLocallyAndSummarises() {
        CliHarness cli = new CliHarness();

        assertThat(cli.execute("replay", directory.toString())).isZero();

        assertThat(cli.out())
                .contains("Replayed 6 of 6 recorded calls from 1 file through interceptors: printer (session tracking on)")
                .contains("6 answered, 0 without a complete response")
                .contains("1 unpaired request");
        assertThat(cli.err()).contains("warning: skipped " + recordingFile + ":" + RecordingFixture.MALFORMED_LINE
                + ": not valid JSON");
    }

    @Test
    void replaysThroughAConfigFileAndReportsJson() throws Exception {
        Path config = Files.writeString(directory.resolve("gatehouse.yaml"), """
                llm:
                  type: openai
                  base_url: https://api.openai.com
                  api_key: %s
                providers:
                  - name: anthropic
                    type: anthropic
                    base_url: https://api.anthropic.com
                interceptors:
                  - type: printer
                    config: {log_body: true}
                """.formatted(KEY));
        CliHarness cli = new CliHarness();

        assertThat(cli.execute("replay", recordingFile.toString(), "--config", config.toString(), "--json")).isZero();

        JsonNode report = Json.MAPPER.readTree(cli.out());
        assertThat(report.path("mode").asText()).isEqualTo("local");
        assertThat(report.path("replayed").asInt()).isEqualTo(6);
        assertThat(report.path("unpaired").asInt()).isEqualTo(1);
        assertThat(report.path("calls").findValuesAsText("status")).containsExactly("200", "200", "200", "200", "502", "502");
        assertThat(report.path("problems")).hasSize(1);
        assertThat(cli.out() + cli.err()).doesNotContain(KEY);
    }

    @Test
    void targetReportsAChangedResponseAndExitsOne() {
        LiveAnswers.install(live, Map.of("Question A", "Answer A", "Question B", "Answer B, rephrased"));
        CliHarness cli = new CliHarness();

        int exit = cli.execute("replay", directory.toString(), "--target", live.baseUrl(),
                "--header", "Authorization: Bearer " + KEY);

        assertThat(exit).isEqualTo(1);
        assertThat(cli.out())
                .contains("≠ req-b POST /v1/chat/completions")
                .contains("$.choices[0].message.content: \"Answer B\" → \"Answer B, rephrased\"")
                .contains("Compared 4 calls with " + live.baseUrl() + ": 1 differs, 3 match")
                .contains("not compared: req-f: no response recorded")
                .doesNotContain("req-a POST");
        assertThat(live.requests().get(0).header("authorization")).isEqualTo("Bearer " + KEY);
        assertThat(cli.out() + cli.err()).doesNotContain(KEY);
    }

    @Test
    void targetReportsNoDifferenceForTheSameResponsesAndExitsZero() throws Exception {
        LiveAnswers.install(live, LiveAnswers.recorded());
        CliHarness cli = new CliHarness();

        int exit = cli.execute("replay", recordingFile.toString(), "--target", live.baseUrl() + "/", "--json", "--quiet");

        assertThat(exit).isZero();
        JsonNode report = Json.MAPPER.readTree(cli.out());
        assertThat(report.path("compared").asInt()).isEqualTo(4);
        assertThat(report.path("matched").asInt()).isEqualTo(4);
        assertThat(report.path("differed").asInt()).isZero();
        assertThat(report.path("skipped")).hasSize(2);
    }

    @Test
    void badInputIsAClearMessageAndExitTwo() throws Exception {
        assertBadInput(new String[] {"replay", directory.resolve("nowhere").toString()},
                directory.resolve("nowhere") + ": no such file or directory");
        Path empty = Files.createDirectory(directory.resolve("empty"));
        assertBadInput(new String[] {"replay", empty.toString()}, "no recording_NNN.jsonl files");
        Path onlyGarbage = Files.writeString(directory.resolve("garbage.jsonl"), "not json\n");
        assertBadInput(new String[] {"replay", onlyGarbage.toString()}, "no request records to replay");
        assertBadInput(new String[] {"replay", recordingFile.toString(), "--target", "ftp://example.com"},
                "--target must be an http:// or https:// URL");
        assertBadInput(new String[] {"replay", recordingFile.toString(), "--target", live.baseUrl(), "--header", "no colon"},
                "--header takes 'Name: value'");
        assertBadInput(new String[] {"replay", recordingFile.toString(), "--header", "A: b"}, "need --target");
        assertBadInput(new String[] {"replay", recordingFile.toString(), "--delay", "-1"}, "--delay must be");
        Path badConfig = Files.writeString(directory.resolve("bad.yaml"), "server:\n  prot: 1\n");
        assertBadInput(new String[] {"replay", recordingFile.toString(), "--config", badConfig.toString()}, "server.prot");
    }

    private static void assertBadInput(String[] args, String message) {
        CliHarness cli = new CliHarness();
        assertThat(cli.execute(args)).as(String.join(" ", args)).isEqualTo(2);
        assertThat(cli.err()).as(String.join(" ", args)).contains(message).doesNotContain("Exception").doesNotContain("\tat ");
    }
}
