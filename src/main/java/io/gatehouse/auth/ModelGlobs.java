package io.gatehouse.auth;

import java.util.List;

/** A key's allowed models: glob patterns where {@code *} matches any run of characters and {@code ?} one character. */
final class ModelGlobs {
    private ModelGlobs() {
    }

    /** True when {@code patterns} is empty (no restriction) or one of them matches {@code model} entirely. */
    static boolean allows(List<String> patterns, String model) {
        if (patterns.isEmpty()) {
            return true;
        }
        for (String pattern : patterns) {
            if (matches(pattern, model)) {
                return true;
            }
        }
        return false;
    }

    /** Iterative wildcard matching with backtracking to the last star: linear in practice, no regex compiled per call. */
    static boolean matches(String pattern, String text) {
        int p = 0;
        int t = 0;
        int starP = -1;
        int starT = -1;
        while (t < text.length()) {
            if (p < pattern.length() && (pattern.charAt(p) == '?' || pattern.charAt(p) == text.charAt(t))) {
                p++;
                t++;
            } else if (p < pattern.length() && pattern.charAt(p) == '*') {
                starP = p++;
                starT = t;
            } else if (starP >= 0) {
                p = starP + 1;
                t = ++starT;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }
}
