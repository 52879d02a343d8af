package io.gatehouse.policy;

import java.util.ArrayList;
import java.util.List;

/**
 * A compiled glob for one value: {@code *} matches any run of characters (none included), {@code ?} exactly one,
 * {@code [abc]}, {@code [a-z]} one of a set ({@code [!a-z]} or {@code [^a-z]} one outside it), and a backslash
 * makes the next character literal. A {@code [} without its closing {@code ]} is a literal, so every text is a
 * valid pattern. Matching allocates nothing.
 */
final class Glob {
    private final String pattern;
    private final boolean ignoreCase;
    /** The text to compare when the pattern has no wildcard at all, else null. */
    private final String literal;
    private final Token[] tokens;

    private Glob(String pattern, boolean ignoreCase, String literal, Token[] tokens) {
        this.pattern = pattern;
        this.ignoreCase = ignoreCase;
        this.literal = literal;
        this.tokens = tokens;
    }

    static Glob compile(String pattern) {
        return compile(pattern, false);
    }

    /** @param ignoreCase compare letters case-insensitively (origins: scheme and host are case-insensitive) */
    static Glob compile(String pattern, boolean ignoreCase) {
        List<Token> tokens = new ArrayList<>();
        StringBuilder plain = new StringBuilder();
        boolean wildcard = false;
        int i = 0;
        while (i < pattern.length()) {
            char c = pattern.charAt(i);
            if (c == '\\' && i + 1 < pattern.length()) {
                char next = pattern.charAt(i + 1);
                tokens.add(new Literal(next, ignoreCase));
                plain.append(next);
                i += 2;
            } else if (c == '*') {
                wildcard = true;
                if (tokens.isEmpty() || tokens.getLast() != AnyRun.INSTANCE) {
                    tokens.add(AnyRun.INSTANCE);
                }
                i++;
            } else if (c == '?') {
                wildcard = true;
                tokens.add(AnyChar.INSTANCE);
                i++;
            } else if (c == '[' && classEnd(pattern, i) > 0) {
                wildcard = true;
                int end = classEnd(pattern, i);
                tokens.add(CharClass.parse(pattern.substring(i + 1, end), ignoreCase));
                i = end + 1;
            } else {
                tokens.add(new Literal(c, ignoreCase));
                plain.append(c);
                i++;
            }
        }
        return new Glob(pattern, ignoreCase, wildcard ? null : plain.toString(), tokens.toArray(Token[]::new));
    }

    boolean matches(CharSequence text) {
        return matches(text, 0, text.length());
    }

    /** Whether {@code text[from, to)} matches the whole pattern. */
    boolean matches(CharSequence text, int from, int to) {
        if (literal != null) {
            return literal.length() == to - from && regionEquals(text, from);
        }
        int t = from;
        int p = 0;
        int starToken = -1;
        int starText = -1;
        // Greedy with one backtrack point: on a mismatch, let the last * take one more character.
        while (t < to) {
            if (p < tokens.length && tokens[p] == AnyRun.INSTANCE) {
                starToken = p++;
                starText = t;
            } else if (p < tokens.length && tokens[p].matches(text.charAt(t))) {
                p++;
                t++;
            } else if (starToken >= 0) {
                p = starToken + 1;
                t = ++starText;
            } else {
                return false;
            }
        }
        while (p < tokens.length && tokens[p] == AnyRun.INSTANCE) {
            p++;
        }
        return p == tokens.length;
    }

    private boolean regionEquals(CharSequence text, int from) {
        for (int i = 0; i < literal.length(); i++) {
            if (!sameChar(literal.charAt(i), text.charAt(from + i), ignoreCase)) {
                return false;
            }
        }
        return true;
    }

    /** The index of the {@code ]} closing a class opened at {@code open}, or -1; a {@code ]} right after the opening (and negation) is a member. */
    private static int classEnd(String pattern, int open) {
        int i = open + 1;
        if (i < pattern.length() && (pattern.charAt(i) == '!' || pattern.charAt(i) == '^')) {
            i++;
        }
        if (i < pattern.length() && pattern.charAt(i) == ']') {
            i++;
        }
        while (i < pattern.length()) {
            char c = pattern.charAt(i);
            if (c == '\\') {
                i += 2;
            } else if (c == ']') {
                return i;
            } else {
                i++;
            }
        }
        return -1;
    }

    private static boolean sameChar(char a, char b, boolean ignoreCase) {
        return a == b || (ignoreCase && Character.toLowerCase(a) == Character.toLowerCase(b));
    }

    @Override
    public String toString() {
        return pattern;
    }

    private interface Token {
        boolean matches(char c);
    }

    private record Literal(char c, boolean ignoreCase) implements Token {
        @Override
        public boolean matches(char other) {
            return sameChar(c, other, ignoreCase);
        }
    }

    private enum AnyChar implements Token {
        INSTANCE;

        @Override
        public boolean matches(char c) {
            return true;
        }
    }

    /** Never asked to match: the matcher handles a run itself. */
    private enum AnyRun implements Token {
        INSTANCE;

        @Override
        public boolean matches(char c) {
            return false;
        }
    }

    /** A {@code [...]} set as inclusive ranges, a single character being a range of one. */
    private record CharClass(char[] lows, char[] highs, boolean negated, boolean ignoreCase) implements Token {
        static CharClass parse(String body, boolean ignoreCase) {
            boolean negated = !body.isEmpty() && (body.charAt(0) == '!' || body.charAt(0) == '^');
            StringBuilder lows = new StringBuilder();
            StringBuilder highs = new StringBuilder();
            int i = negated ? 1 : 0;
            while (i < body.length()) {
                char low = body.charAt(i) == '\\' && i + 1 < body.length() ? body.charAt(++i) : body.charAt(i);
                i++;
                char high = low;
                if (i + 1 < body.length() && body.charAt(i) == '-') {
                    high = body.charAt(i + 1) == '\\' && i + 2 < body.length() ? body.charAt(i + 2) : body.charAt(i + 1);
                    i += body.charAt(i + 1) == '\\' ? 3 : 2;
                }
                lows.append(low);
                highs.append(high);
            }
            return new CharClass(lows.toString().toCharArray(), highs.toString().toCharArray(), negated, ignoreCase);
        }

        @Override
        public boolean matches(char c) {
            boolean member = contains(c) || (ignoreCase && (contains(Character.toLowerCase(c)) || contains(Character.toUpperCase(c))));
            return member != negated;
        }

        private boolean contains(char c) {
            for (int i = 0; i < lows.length; i++) {
                if (c >= lows[i] && c <= highs[i]) {
                    return true;
                }
            }
            return false;
        }
    }
}
