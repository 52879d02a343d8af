package io.gatehouse.replay;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

class ProgressBarTest {

    @Test
    void redrawsOneLineWithTheCountThePercentageAndTheLastCall() {
        StringWriter out = new StringWriter();
        ProgressBar bar = new ProgressBar(new PrintWriter(out), 4, true);

        bar.step("POST /v1/chat/completions");
        bar.clear();
        bar.step("POST /anthropic/v1/messages");
        bar.finish();

        String erase = "\r\u001b[2K";
        assertThat(out.toString()).isEqualTo(
                erase + "[" + "=".repeat(6) + ">" + " ".repeat(23) + "] 1/4  25%  POST /v1/chat/completions"
                        + erase
                        + erase + "[" + "=".repeat(14) + ">" + " ".repeat(15) + "] 2/4  50%  POST /anthropic/v1/messages"
                        + System.lineSeparator());
    }

    @Test
    void aFullBarIsAllEqualsSigns() {
        StringWriter out = new StringWriter();
        ProgressBar bar = new ProgressBar(new PrintWriter(out), 1, true);

        bar.step("GET /v1/models");

        assertThat(out.toString()).contains("[" + "=".repeat(30) + "] 1/1 100%");
    }

    @Test
    void drawsNothingWhenDisabled() {
        StringWriter out = new StringWriter();
        ProgressBar bar = new ProgressBar(new PrintWriter(out), 3, false);

        bar.step("POST /v1/chat/completions");
        bar.clear();
        bar.finish();

        assertThat(out.toString()).isEmpty();
    }
}
