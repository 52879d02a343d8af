package io.gatehouse.pipeline;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ModelGlobsTest {
    @Test
    void noPatternsAllowEveryModel() {
        assertThat(ModelGlobs.allows(List.of(), "anything")).isTrue();
    }

    @Test
    void starsAndQuestionMarksMatchTheWholeName() {
        List<String> allowed = List.of("gpt-4o*", "gpt-4.1-?ini", "claude-*-sonnet-*");
        assertThat(ModelGlobs.allows(allowed, "gpt-4o")).isTrue();
        assertThat(ModelGlobs.allows(allowed, "gpt-4o-mini-2024-07-18")).isTrue();
        assertThat(ModelGlobs.allows(allowed, "gpt-4.1-mini")).isTrue();
        assertThat(ModelGlobs.allows(allowed, "claude-3-7-sonnet-20250219")).isTrue();
        assertThat(ModelGlobs.allows(allowed, "gpt-4")).isFalse();
        assertThat(ModelGlobs.allows(allowed, "my-gpt-4o")).isFalse();
        assertThat(ModelGlobs.allows(allowed, "gpt-4.1-nano")).isFalse();
        assertThat(ModelGlobs.allows(allowed, "claude-opus")).isFalse();
    }

    @Test
    void otherCharactersAreLiteral() {
        assertThat(ModelGlobs.allows(List.of("a.b"), "axb")).isFalse();
        assertThat(ModelGlobs.allows(List.of("a.b"), "a.b")).isTrue();
    }
}
