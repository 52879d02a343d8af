package io.gatehouse.policy;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PathPatternTest {
    private static boolean matches(String pattern, String path) {
        return PathPattern.compile(pattern).matches(path);
    }

    @Test
    void aPrefixAdmitsItselfAndWhatLiesBelowItButNotALongerSegment() {
        assertThat(matches("/v1/models", "/v1/models")).isTrue();
        assertThat(matches("/v1/models", "/v1/models/gpt-4o")).isTrue();
        assertThat(matches("/v1/models", "/v1/models/")).isTrue();
        assertThat(matches("/v1/models", "/v1/modelsX")).as("llm-proxy's prefix bug").isFalse();
        assertThat(matches("/v1/models", "/v1/model")).isFalse();
        assertThat(matches("/v1/models", "/v1")).isFalse();
        assertThat(matches("/v1/models", "/v2/models")).isFalse();
    }

    @Test
    void aTrailingSlashInThePatternChangesNothing() {
        assertThat(matches("/v1/models/", "/v1/models")).isTrue();
        assertThat(matches("/v1/models/", "/v1/modelsX")).isFalse();
        assertThat(matches("/", "/anything/at/all")).isTrue();
    }

    @Test
    void globsWorkWithinOneSegment() {
        assertThat(matches("/v1/*/completions", "/v1/chat/completions")).isTrue();
        assertThat(matches("/v1/*/completions", "/v1/chat/x/completions")).isFalse();
        assertThat(matches("/v1/chat/*", "/v1/chat/completions")).isTrue();
        assertThat(matches("/v1/chat/*", "/v1/chat")).isFalse();
        assertThat(matches("/v1/files-?", "/v1/files-a/content")).isTrue();
    }

    @Test
    void emptySegmentsDoNotSlipPast() {
        assertThat(matches("/v1/models", "/v1//models")).isFalse();
        assertThat(matches("/v1/models", "//v1/models")).isFalse();
    }

    @Test
    void escapedSegmentsAreComparedDecoded() {
        assertThat(matches("/v1/models", "/v1/model%73")).isTrue();
        assertThat(matches("/v1/models", "/v1/models%58")).isFalse();
    }

    @Test
    void dotSegmentsAndEscapedSlashesAreAmbiguous() {
        assertThat(PathPattern.isAmbiguous("/v1/models/../files")).isTrue();
        assertThat(PathPattern.isAmbiguous("/v1/models/./x")).isTrue();
        assertThat(PathPattern.isAmbiguous("/v1/models/%2e%2E/files")).isTrue();
        assertThat(PathPattern.isAmbiguous("/v1/models%2F..%2Ffiles")).isTrue();
        assertThat(PathPattern.isAmbiguous("/v1/models\\..\\files")).isTrue();
        assertThat(PathPattern.isAmbiguous("/v1/models/..")).isTrue();
        assertThat(PathPattern.isAmbiguous("/v1/models/gpt-4.1")).isFalse();
        assertThat(PathPattern.isAmbiguous("/v1/models/...")).isFalse();
        assertThat(PathPattern.isAmbiguous("/v1/chat/completions")).isFalse();
        assertThat(PathPattern.isAmbiguous("/")).isFalse();
    }
}
