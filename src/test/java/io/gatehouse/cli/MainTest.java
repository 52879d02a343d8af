package io.gatehouse.cli;

import io.gatehouse.Version;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MainTest {

    @Test
    void printsTheVersion() {
        CliHarness cli = new CliHarness();
        assertThat(cli.execute("--version")).isZero();
        assertThat(cli.out().trim()).isEqualTo("gatehouse " + Version.get());
        assertThat(Version.get()).isNotBlank();
    }

    @Test
    void everyCommandHasHelp() {
        for (String command : new String[] {"run", "demo", "generate-config", "validate-config", "mock-upstream"}) {
            CliHarness cli = new CliHarness();
            assertThat(cli.execute(command, "--help")).as(command).isZero();
            assertThat(cli.out()).as(command).contains("Usage: gatehouse " + command);
        }
    }

    @Test
    void noCommandIsAUsageError() {
        CliHarness cli = new CliHarness();
        assertThat(cli.execute()).isEqualTo(2);
        assertThat(cli.err()).contains("Missing command").contains("Usage: gatehouse");
    }

    @Test
    void aMalformedOptionIsAUsageError() {
        CliHarness cli = new CliHarness();
        assertThat(cli.execute("run", "--port", "abc")).isEqualTo(2);
        assertThat(cli.err()).contains("--port");
    }
}
