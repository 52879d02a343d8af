package io.gatehouse.logging;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TextSearchTest {
    @Test
    void findsTheNeedleInAnyCaseAnywhere() {
        assertThat(TextSearch.containsIgnoreCase("Authorization: BeArEr abc", "bearer")).isTrue();
        assertThat(TextSearch.containsIgnoreCase("bearer", "bearer")).isTrue();
        assertThat(TextSearch.containsIgnoreCase("xx X-API-KEY: v", "x-api-key")).isTrue();
        assertThat(TextSearch.containsIgnoreCase("ends with Token", "token")).isTrue();
        // Earlier places that start like the needle do not hide a later match, in either case.
        assertThat(TextSearch.containsIgnoreCase("bear, Bearing, bEaReR", "bearer")).isTrue();
        assertThat(TextSearch.containsIgnoreCase("Bear, bearing, BEARER", "bearer")).isTrue();
    }

    @Test
    void missesWhatIsNotThere() {
        assertThat(TextSearch.containsIgnoreCase("beare", "bearer")).isFalse();
        assertThat(TextSearch.containsIgnoreCase("", "bearer")).isFalse();
        assertThat(TextSearch.containsIgnoreCase("xbeare", "bearer")).isFalse();
        // A carriage return folds to '-' under the quick first-character filter; the full comparison rejects it.
        assertThat(TextSearch.containsIgnoreCase("\rapi-key", "-api-key")).isFalse();
    }
}
