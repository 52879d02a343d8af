package io.gatehouse.session;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Finds any configured phrase as whole words, ignoring case and how much space separates its words. */
final class ResetPhrases {
    /** Null when no phrase is configured. */
    private final Pattern pattern;

    ResetPhrases(List<String> phrases) {
        String alternatives = phrases.stream()
                .map(String::strip)
                .filter(phrase -> !phrase.isEmpty())
                .map(phrase -> Arrays.stream(phrase.split("\\s+")).map(Pattern::quote)
                        .collect(Collectors.joining("\\s+")))
                .collect(Collectors.joining("|"));
        // Whole words only: "clear" must not fire on "unclear" or "nuclear".
        pattern = alternatives.isEmpty() ? null : Pattern.compile(
                "(?<![\\p{L}\\p{N}])(?:" + alternatives + ")(?![\\p{L}\\p{N}])",
                Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    }

    boolean foundIn(String text) {
        return pattern != null && pattern.matcher(text).find();
    }
}
