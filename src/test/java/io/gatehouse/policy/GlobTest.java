package io.gatehouse.policy;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class GlobTest {
    private static boolean matches(String pattern, String text) {
        return Glob.compile(pattern).matches(text);
    }

    @Test
    void aPatternWithoutWildcardsMatchesOnlyItself() {
        assertThat(matches("gpt-4o", "gpt-4o")).isTrue();
        assertThat(matches("gpt-4o", "gpt-4o-mini")).isFalse();
        assertThat(matches("gpt-4o", "gpt-4")).isFalse();
        assertThat(matches("", "")).isTrue();
        assertThat(matches("", "x")).isFalse();
    }

    @Test
    void aStarMatchesAnyRunIncludingNoneAndSlashes() {
        assertThat(matches("gpt-4o*", "gpt-4o")).isTrue();
        assertThat(matches("gpt-4o*", "gpt-4o-mini-2024-07-18")).isTrue();
        assertThat(matches("gpt-4o*", "gpt-4")).isFalse();
        assertThat(matches("*-mini", "gpt-4o-mini")).isTrue();
        assertThat(matches("*-mini", "gpt-4o-mini-2")).isFalse();
        assertThat(matches("a*b*c", "axxbyyc")).isTrue();
        assertThat(matches("a*b*c", "axxbyy")).isFalse();
        assertThat(matches("a*bc", "abcbcbc")).as("backtracks past an early partial match").isTrue();
        assertThat(matches("accounts/*/models/*", "accounts/fw/models/llama")).isTrue();
        assertThat(matches("*", "")).isTrue();
        assertThat(matches("**", "anything")).isTrue();
    }

    @Test
    void aQuestionMarkMatchesExactlyOneCharacter() {
        assertThat(matches("gpt-?", "gpt-5")).isTrue();
        assertThat(matches("gpt-?", "gpt-")).isFalse();
        assertThat(matches("gpt-?", "gpt-45")).isFalse();
    }

    @Test
    void classesMatchOneCharacterOfASetOrOutsideIt() {
        assertThat(matches("gpt-[345]", "gpt-4")).isTrue();
        assertThat(matches("gpt-[345]", "gpt-6")).isFalse();
        assertThat(matches("v[0-9]", "v7")).isTrue();
        assertThat(matches("v[0-9]", "vx")).isFalse();
        assertThat(matches("v[!0-9]", "vx")).isTrue();
        assertThat(matches("v[^0-9]", "v7")).isFalse();
        assertThat(matches("[]]", "]")).as("a ] first in a class is a member").isTrue();
    }

    @Test
    void aBackslashEscapesAndAnUnclosedBracketIsLiteral() {
        assertThat(matches("a\\*b", "a*b")).isTrue();
        assertThat(matches("a\\*b", "axb")).isFalse();
        assertThat(matches("a[b", "a[b")).isTrue();
        assertThat(matches("a[b", "ab")).isFalse();
        assertThat(matches("end\\", "end\\")).isTrue();
    }

    @Test
    void ignoreCaseFoldsLettersOnly() {
        Glob origin = Glob.compile("https://*.Example.com", true);
        assertThat(origin.matches("https://app.example.COM")).isTrue();
        assertThat(origin.matches("https://app.example.org")).isFalse();
        assertThat(Glob.compile("GPT-4o").matches("gpt-4o")).as("case-sensitive by default").isFalse();
        assertThat(Glob.compile("[a-c]x", true).matches("Bx")).isTrue();
    }

    @Test
    void matchesARegionOfALongerText() {
        assertThat(Glob.compile("mod*").matches("/v1/models/x", 4, 10)).isTrue();
        assertThat(Glob.compile("models").matches("/v1/modelsX", 4, 11)).isFalse();
    }
}
