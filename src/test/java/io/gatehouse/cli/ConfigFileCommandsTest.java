package io.gatehouse.cli;

import io.gatehouse.config.ExampleConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code generate-config} and {@code validate-config}. */
class ConfigFileCommandsTest {
    @TempDir
    Path dir;

    @Test
    void validateConfigSummarisesAValidFile() throws Exception {
        Path file = Files.writeString(dir.resolve("ok.yaml"), """
                server: {port: 4100, host: 127.0.0.1}
                llm: {type: openai, api_key: sk-abcdefghijklmnopqrstuv9999}
                providers:
                  - {name: claude, type: anthropic, base_url: "http://127.0.0.1:9999"}
                interceptors:
                  - {type: printer}
                  - {type: printer, enabled: false}
                """);
        CliHarness cli = new CliHarness();
        assertThat(cli.execute("validate-config", file.toString())).isZero();
        assertThat(cli.out()).startsWith("✓ Configuration is valid: " + file + "\n")
                .contains("server: 127.0.0.1:4100")
                .contains("default → openai https://api.openai.com (default)")
                .contains("claude → anthropic http://127.0.0.1:9999")
                .contains("interceptors: 2 (1 enabled)")
                .doesNotContain("sk-abcdefghijklmnopqrstuv9999");
        assertThat(cli.err()).isEmpty();
    }

    @Test
    void validateConfigReportsEachProblemWithFileAndKey() throws Exception {
        Path file = Files.writeString(dir.resolve("bad.yaml"), "server: {prot: 1}\nllm: {type: cohere, base_url: http://x}\n");
        CliHarness cli = new CliHarness();
        assertThat(cli.execute("validate-config", file.toString())).isEqualTo(1);
        assertThat(cli.err()).contains(
                "✗ " + file + ": server.prot: unknown key (allowed: port, host, workers, max_body_bytes, shutdown_grace_seconds)\n",
                "✗ " + file + ": llm.type: must be one of openai, anthropic, azure, gemini, bedrock, ollama, vllm,"
                        + " openai_compatible (got \"cohere\")\n");
        assertThat(cli.out()).isEmpty();
    }

    @Test
    void validateConfigFailsOnAMissingFile() {
        CliHarness cli = new CliHarness();
        Path missing = dir.resolve("missing.yaml");
        assertThat(cli.execute("validate-config", missing.toString())).isEqualTo(1);
        assertThat(cli.err()).isEqualTo("✗ " + missing + ": file not found\n");
    }

    @Test
    void validateConfigAppliesTheEnvironment() throws Exception {
        Path file = Files.writeString(dir.resolve("env.yaml"), "llm: {type: openai, base_url: \"${UPSTREAM}\"}\n");
        CliHarness cli = new CliHarness(Map.of("UPSTREAM", "http://10.1.2.3:8080"));
        assertThat(cli.execute("validate-config", file.toString())).isZero();
        assertThat(cli.out()).contains("default → openai http://10.1.2.3:8080");
    }

    @Test
    void generateConfigWritesTheExampleOwnerOnly() throws Exception {
        Path file = dir.resolve("sub/gatehouse.yaml");
        CliHarness cli = new CliHarness();
        assertThat(cli.execute("generate-config", file.toString())).isZero();
        assertThat(Files.readString(file)).isEqualTo(ExampleConfig.yaml());
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(cli.out()).startsWith("✓ Wrote an example configuration to " + file);
    }

    @Test
    void theGeneratedFilePassesValidateConfig() {
        Path file = dir.resolve("gatehouse.yaml");
        assertThat(new CliHarness().execute("generate-config", file.toString())).isZero();
        CliHarness validate = new CliHarness();
        assertThat(validate.execute("validate-config", file.toString())).isZero();
        assertThat(validate.out()).startsWith("✓ Configuration is valid: " + file)
                .contains("server: 127.0.0.1:4000")
                .contains("interceptors: 1 (1 enabled)");
    }

    @Test
    void generateConfigRefusesToOverwriteWithoutForce() throws Exception {
        Path file = Files.writeString(dir.resolve("mine.yaml"), "my: own\n");
        CliHarness cli = new CliHarness();
        assertThat(cli.execute("generate-config", file.toString())).isEqualTo(1);
        assertThat(cli.err()).isEqualTo("✗ " + file + " already exists; use --force to overwrite it\n");
        assertThat(Files.readString(file)).isEqualTo("my: own\n");

        assertThat(new CliHarness().execute("generate-config", "--force", file.toString())).isZero();
        assertThat(Files.readString(file)).isEqualTo(ExampleConfig.yaml());
    }
}
