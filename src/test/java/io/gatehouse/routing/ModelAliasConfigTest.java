package io.gatehouse.routing;

import io.gatehouse.cli.Main;
import io.gatehouse.config.ConfigException;
import io.gatehouse.config.ConfigLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A {@code models:} target must name a configured provider; the error names the alias's key. */
class ModelAliasConfigTest {
    private static final String ALIAS_TO_UNKNOWN_PROVIDER = """
            providers:
              - {name: claude, type: anthropic, base_url: "http://127.0.0.1:9"}
              - {name: openai, type: openai, base_url: "http://127.0.0.1:9"}
            models:
              fast: openai:gpt-4o-mini
              smart: [claude:claude-sonnet-4-5, gemini:gemini-2.5-pro]
            """;

    @TempDir
    Path dir;

    @Test
    void configLoaderNamesTheAliasWhoseTargetIsNoProvider() throws Exception {
        Path file = Files.writeString(dir.resolve("gatehouse.yaml"), ALIAS_TO_UNKNOWN_PROVIDER);

        assertThatThrownBy(() -> ConfigLoader.load(file, Map.of(), Map.of()))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
                        .extracting(ConfigException.Problem::path).containsExactly("models.smart[1]"))
                .hasMessageContaining("\"gemini\" is not a configured provider");
    }

    @Test
    void validateConfigReportsTheAliasKey() throws Exception {
        Path file = Files.writeString(dir.resolve("gatehouse.yaml"), ALIAS_TO_UNKNOWN_PROVIDER);
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(new PrintWriter(new StringWriter(), true));
        cli.setErr(new PrintWriter(err, true));

        assertThat(cli.execute("validate-config", file.toString())).isEqualTo(1);
        assertThat(err.toString()).contains(file + ": models.smart[1]: \"gemini\" is not a configured provider");
    }
}
