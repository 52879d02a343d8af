package io.gatehouse.logging;

/** Substring tests that redaction uses to skip its regex scans when a text cannot match them. */
public final class TextSearch {
    private TextSearch() {
    }

    /**
     * Whether {@code text} contains {@code lowerNeedle} (lower-case ASCII) in any mix of ASCII cases, as the
     * regexes it guards compare under {@code (?i)}. The needle's first character is looked for with
     * {@link String#indexOf(int, int)}, in lower and in upper case: that search is vectorised by the JVM, many
     * times faster than a character-by-character loop, and only its hits get the full comparison.
     */
    public static boolean containsIgnoreCase(String text, String lowerNeedle) {
        char lower = lowerNeedle.charAt(0);
        char upper = Character.toUpperCase(lower);
        return containsStartingWith(text, lowerNeedle, lower)
                || upper != lower && containsStartingWith(text, lowerNeedle, upper);
    }

    /** Whether the needle starts, in any case, at one of the places where {@code text} has {@code first}. */
    private static boolean containsStartingWith(String text, String lowerNeedle, char first) {
        int length = lowerNeedle.length();
        int last = text.length() - length;
        for (int i = text.indexOf(first); i >= 0 && i <= last; i = text.indexOf(first, i + 1)) {
            if (text.regionMatches(true, i, lowerNeedle, 0, length)) {
                return true;
            }
        }
        return false;
    }
}
