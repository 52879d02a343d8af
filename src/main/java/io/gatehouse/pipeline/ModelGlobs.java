package io.gatehouse.pipeline;

import java.util.List;

/** A key's allowed models: glob patterns where {@code *} matches any run of characters and {@code ?} one character. */
public final class ModelGlobs {
    private ModelGlobs() {
    }

    /** True when {@code patterns} is empty (no restriction) or one of them matches {@code model} entirely. */
    public static boolean allows(List<String> patterns, String model) {
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

    /**
     * True when the patterns allow a model id as clients and configuration name models: the id itself, or for a
     * {@code provider:model} id also its bare model, so {@code gpt-4o*} admits {@code openai:gpt-4o-mini}.
     */
    public static boolean allowsModelId(List<String> patterns, String id) {
        if (allows(patterns, id)) {
            return true;
        }
        int colon = id.indexOf(':');
        return colon > 0 && allows(patterns, id.substring(colon + 1));
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
