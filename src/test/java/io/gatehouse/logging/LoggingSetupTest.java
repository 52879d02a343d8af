package io.gatehouse.logging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.config.LoggingConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LoggingSetupTest {
    private static final String KEY = "registered-key-for-logging-test-7d3f";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger("gatehouse.test.logging");

    @TempDir
    Path dir;

    @AfterEach
    void restoreDefaults() {
        LoggingSetup.apply(new LoggingConfig(null, null, null, null, null));
    }

    private Path logFile() {
        return dir.resolve("logs/gatehouse.log");
    }

    private List<String> lines(Path file) throws IOException {
        return Files.readAllLines(file, StandardCharsets.UTF_8);
    }

    @Test
    void textLinesCarryTimeLevelThreadLoggerAndMaskedMessage() throws Exception {
        SecretRedactor.register(KEY);
        LoggingSetup.apply(new LoggingConfig("INFO", "text", logFile().toString(), null, null));
        LOG.info("calling upstream with {} and sk-abcdefghijklmnopqrst0001", KEY);

        String line = lines(logFile()).get(0);
        assertThat(line).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  \\[.+] gatehouse\\.test\\.logging - .*");
        assertThat(line).endsWith("calling upstream with ****7d3f and ****0001").doesNotContain(KEY);
    }

    @Test
    void jsonLinesAreObjectsWithMaskedMessageAndException() throws Exception {
        SecretRedactor.register(KEY);
        LoggingSetup.apply(new LoggingConfig("INFO", "json", logFile().toString(), null, null));
        LOG.info("plain \"quoted\" line");
        LOG.error("failed with key {}", KEY, new IllegalStateException("upstream rejected " + KEY));

        List<String> lines = lines(logFile());
        assertThat(lines).hasSize(2);
        JsonNode first = JSON.readTree(lines.get(0));
        assertThat(first.path("timestamp").textValue()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        assertThat(first.path("level").textValue()).isEqualTo("INFO");
        assertThat(first.path("logger").textValue()).isEqualTo("gatehouse.test.logging");
        assertThat(first.path("thread").textValue()).isEqualTo(Thread.currentThread().getName());
        assertThat(first.path("message").textValue()).isEqualTo("plain \"quoted\" line");
        assertThat(first.has("exception")).isFalse();
        JsonNode second = JSON.readTree(lines.get(1));
        assertThat(second.path("message").textValue()).isEqualTo("failed with key ****7d3f");
        assertThat(second.path("exception").textValue()).contains("IllegalStateException: upstream rejected ****7d3f");
        assertThat(lines.get(1)).doesNotContain(KEY);
    }

    @Test
    void theConsoleIsMaskedToo() {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            LoggingSetup.apply(new LoggingConfig("INFO", "text", null, null, null));
            LOG.warn("header x-api-key: console-secret-value-1234");
        } finally {
            System.setErr(original);
        }
        assertThat(captured.toString(StandardCharsets.UTF_8))
                .contains("WARN  [").contains("x-api-key: ****1234").doesNotContain("console-secret-value");
    }

    @Test
    void pythonLevelNamesMapToLogbackLevels() {
        LoggingSetup.apply(new LoggingConfig("WARNING", "text", null, null, null));
        assertThat(LOG.isInfoEnabled()).isFalse();
        assertThat(LOG.isWarnEnabled()).isTrue();
        LoggingSetup.apply(new LoggingConfig("CRITICAL", "text", null, null, null));
        assertThat(LOG.isWarnEnabled()).isFalse();
        assertThat(LOG.isErrorEnabled()).isTrue();
        LoggingSetup.apply(new LoggingConfig("DEBUG", "text", null, null, null));
        assertThat(LOG.isDebugEnabled()).isTrue();
        assertThat(LoggerFactory.getLogger("io.netty.channel").isInfoEnabled()).isFalse();
    }

    @Test
    void theFileRotatesAtItsSizeAndKeepsBackupCountFiles() throws Exception {
        LoggingSetup.apply(new LoggingConfig("INFO", "text", logFile().toString(), "1KB", 2));
        String padding = "x".repeat(100);
        for (int i = 0; i < 100; i++) {
            LOG.info("line {} {}", i, padding);
        }

        Path first = Path.of(logFile() + ".1");
        Path second = Path.of(logFile() + ".2");
        assertThat(logFile()).exists();
        assertThat(first).exists();
        assertThat(second).exists();
        assertThat(Path.of(logFile() + ".3")).doesNotExist();
        int oneLine = lines(logFile()).get(0).length() + 1;
        for (Path file : List.of(logFile(), first, second)) {
            assertThat(Files.size(file)).isLessThan(1024 + oneLine);
            assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        }
        // The newest lines are in the live file, the backups hold the ones just before, in order.
        assertThat(lines(logFile()).get(lines(logFile()).size() - 1)).contains("line 99 ");
        assertThat(lineNumber(lines(first).get(lines(first).size() - 1)) + 1).isEqualTo(lineNumber(lines(logFile()).get(0)));
        assertThat(lineNumber(lines(second).get(lines(second).size() - 1)) + 1).isEqualTo(lineNumber(lines(first).get(0)));
    }

    @Test
    void withNoBackupsTheFullFileStartsAfresh() throws Exception {
        LoggingSetup.apply(new LoggingConfig("INFO", "text", logFile().toString(), "1KB", 0));
        for (int i = 0; i < 50; i++) {
            LOG.info("line {} {}", i, "y".repeat(100));
        }
        assertThat(Path.of(logFile() + ".1")).doesNotExist();
        assertThat(Files.size(logFile())).isLessThan(2048);
        assertThat(lines(logFile()).get(lines(logFile()).size() - 1)).contains("line 49 ");
        assertThat(Files.getPosixFilePermissions(logFile())).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }

    private static int lineNumber(String line) {
        String afterLine = line.substring(line.indexOf(" - line ") + 8);
        return Integer.parseInt(afterLine.substring(0, afterLine.indexOf(' ')));
    }
}
