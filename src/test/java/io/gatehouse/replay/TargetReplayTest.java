package io.gatehouse.replay;

import io.gatehouse.testing.FakeUpstream;
import io.gatehouse.testing.GatewayTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TargetReplayTest extends GatewayTestSupport {
    private static final String CREDENTIAL = "Bearer sk-test-0123456789abcdefghij";

    @TempDir
    Path directory;
    private FakeUpstream live;
    private Recording recording;

    @BeforeEach
    void recordAndStartTheLiveSide() {
        live = FakeUpstream.start(vertx);
        RecordingFixture.concurrentTraffic().writeTo(directory, "recording_001.jsonl");
        recording = Recording.read(directory);
    }

    @AfterEach
    void stopTheLiveSide() {
        live.close();
    }

    @Test
    void matchesWhenOnlyVolatileFieldsAndStreamChunkingDiffer() throws Exception {
        LiveAnswers.install(live, LiveAnswers.recorded());

        TargetReport report = TargetReplay.run(recording, options(List.of()), silent());

        assertThat(report.compared()).extracting(TargetReport.Compared::requestId)
                .containsExactly("req-a", "req-b", "req-c", "req-d");
        assertThat(report.compared()).allSatisfy(call -> assertThat(call.differences()).isEmpty());
        assertThat(report.exitCode()).isZero();
        assertThat(report.skipped()).containsExactly(
                "req-e: the recorded call failed (upstream_unreachable: connection refused), so there is no response to compare",
                "req-f: no response recorded");
    }

    @Test
    void namesTheChangedJsonPathOfAChangedResponse() throws Exception {
        LiveAnswers.install(live, Map.of("Question A", "Answer A", "Question B", "Answer B, rephrased"));

        TargetReport report = TargetReplay.run(recording, options(List.of()), silent());

        assertThat(report.exitCode()).isEqualTo(1);
        assertThat(report.differing()).isEqualTo(1);
        TargetReport.Compared changed = report.compared().get(1);
        assertThat(changed.requestId()).isEqualTo("req-b");
        assertThat(changed.differences()).containsExactly(
                new Difference("$.choices[0].message.content", "\"Answer B\"", "\"Answer B, rephrased\""));
        StringWriter text = new StringWriter();
        report.print(new PrintWriter(text));
        assertThat(text.toString())
                .contains("≠ req-b POST /v1/chat/completions\n    $.choices[0].message.content: \"Answer B\" → \"Answer B, rephrased\"")
                .contains("Compared 4 calls with " + live.baseUrl() + ": 1 differs, 3 match");
    }

    @Test
    void anIgnoredFieldIsLeftOutOfTheComparison() throws Exception {
        LiveAnswers.install(live, Map.of("Question A", "Answer A", "Question B", "Answer B, rephrased"));

        TargetReport report = TargetReplay.run(recording, options(List.of("choices[0].message.content")), silent());

        assertThat(report.exitCode()).isZero();
    }

    @Test
    void reportsAChangedStatus() throws Exception {
        LiveAnswers.install(live, Map.of("Question B", "Answer B"));

        TargetReport report = TargetReplay.run(recording, options(List.of()), silent());

        assertThat(report.compared().get(0).differences()).first()
                .isEqualTo(new Difference("status", "200", "404"));
    }

    @Test
    void sendsTheGivenCredentialInPlaceOfTheRedactedOne() throws Exception {
        LiveAnswers.install(live, LiveAnswers.recorded());

        TargetReplay.run(recording, options(List.of()), silent());

        FakeUpstream.RecordedRequest first = live.requests().get(0);
        assertThat(first.header("authorization")).isEqualTo(CREDENTIAL);
        assertThat(first.headers().names()).doesNotContain("x-replay-request-id");
        FakeUpstream.RecordedRequest anthropic = live.requests().get(3);
        assertThat(anthropic.path()).isEqualTo("/anthropic/v1/messages");
        assertThat(anthropic.header("x-api-key")).isNull();
        assertThat(anthropic.header("anthropic-version")).isEqualTo("2023-06-01");
    }

    private TargetReplay.Options options(List<String> ignoredFields) {
        return new TargetReplay.Options(URI.create(live.baseUrl()), Map.of("Authorization", CREDENTIAL), ignoredFields,
                false, Duration.ZERO);
    }

    private ProgressBar silent() {
        return new ProgressBar(new PrintWriter(Writer.nullWriter()), recording.size(), false);
    }
}
