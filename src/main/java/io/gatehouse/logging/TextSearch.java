package io.gatehouse.logging;

/** Substring tests that redaction uses to skip its regex scans when a text cannot match them. */
public final class TextSearch {
    private TextSearch() {
    }

    /**
     * Whether {@code text} contains {@code lowerNeedle} (lower-case) in any mix of cases. Setting bit 0x20 folds an
     * ASCII letter to lower case; for the first character it is only a quick filter (it also lets a few other
     * characters through), and {@link String#regionMatches(boolean, int, String, int, int)} decides.
     */
    public static boolean containsIgnoreCase(String text, String lowerNeedle) {
        int last = text.length() - lowerNeedle.length();
        char first = lowerNeedle.charAt(0);
        for (int i = 0; i <= last; i++) {
            if ((text.charAt(i) | 0x20) == first && text.regionMatches(true, i, lowerNeedle, 0, lowerNeedle.length())) {
                return true;
            }
        }
        return false;
    }
}
