package io.gatehouse.logging;

import io.gatehouse.pipeline.Secret;

import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Masks credentials in text bound for a log: every value registered by the configuration loader, and anything
 * shaped like a well-known credential. A match becomes {@code ****} plus its last four characters
 * ({@link Secret#mask}); the words around it ({@code Bearer}, {@code x-api-key:}) stay.
 *
 * <p>All shapes are one precompiled alternation, rebuilt when a value is registered, so a line without secrets
 * costs a single regex scan.
 */
public final class SecretRedactor {
    /** Shorter values would mask ordinary words; no real credential is this short. */
    private static final int MIN_REGISTERED_LENGTH = 4;

    private static final String KNOWN_SHAPES = String.join("|",
            // OpenAI (sk-…, sk-proj-…) and Anthropic (sk-ant-…) keys; not the tail of a word such as "task-…".
            "(?<![A-Za-z0-9_-])(?<sk>sk-(?:ant-)?[A-Za-z0-9_-]{16,})", // SK_KEY_BODY
            "\\b(?i:bearer)\\s+(?<bearer>[A-Za-z0-9._~+/=-]{16,})",
            // As a header line, a query parameter or a JSON field: x-api-key: v, x-api-key=v, "x-api-key":"v".
            // A value that starts with * is already masked: leaving it keeps redaction idempotent.
            "(?i:x-api-key)[\"']?\\s*[:=]\\s*[\"']?(?<xapikey>[^\\s\"',;&}\\]*][^\\s\"',;&}\\]]*)",
            "\\b(?<aws>AKIA[A-Z0-9]{16})\\b",
            // Gatehouse's own virtual keys: gh- and 43 base62 characters.
            "(?<![A-Za-z0-9_-])(?<gh>gh-[A-Za-z0-9]{43})(?![A-Za-z0-9])"); // GH_KEY_BODY
    /**
     * The fewest characters a known shape can match: {@code x-api-key:v}. The others need more ({@code sk-} and 16,
     * {@code AKIA} and 16, {@code bearer}, a space and 16, {@code gh-} and 43).
     */
    static final int SHORTEST_KNOWN_SHAPE = "x-api-key:v".length();
    /** The fewest characters after {@code sk-} in an OpenAI or Anthropic key shape. */
    private static final int SK_KEY_BODY = 16;
    /** The characters after {@code gh-} in a virtual key. */
    private static final int GH_KEY_BODY = 43;
    private static final String[] SECRET_GROUPS = {"registered", "sk", "bearer", "xapikey", "aws", "gh"};

    private static final Set<String> registered = new LinkedHashSet<>();
    /** The registered values as an array, for the lock-free pre-check of {@link #redact}. */
    private static volatile String[] registeredValues = new String[0];
    /** Starts with an alternative that never matches, standing in for the registered values. */
    private static volatile Pattern pattern = compile("(?!)");

    private SecretRedactor() {
    }

    /** Masks {@code secret} wherever it appears from now on; null, blank and very short values are ignored. */
    public static synchronized void register(String secret) {
        if (secret == null || secret.isBlank() || secret.length() < MIN_REGISTERED_LENGTH || !registered.add(secret)) {
            return;
        }
        // Longest first, so a key that contains another registered key is masked whole.
        String literals = registered.stream()
                .sorted(Comparator.comparingInt(String::length).reversed())
                .map(Pattern::quote)
                .collect(Collectors.joining("|"));
        pattern = compile(literals);
        registeredValues = registered.toArray(String[]::new);
    }

    /** Registered values come first: a configured key is masked whole even when it also fits a known shape. */
    private static Pattern compile(String registeredAlternatives) {
        return Pattern.compile("(?<registered>" + registeredAlternatives + ")|" + KNOWN_SHAPES);
    }

    /** The text with every secret masked; the same instance when there was nothing to mask. */
    public static String redact(String text) {
        if (text == null || text.isEmpty() || !mayHoldSecret(text)) {
            return text;
        }
        Matcher matcher = pattern.matcher(text);
        if (!matcher.find()) {
            return text;
        }
        return matcher.replaceAll(SecretRedactor::maskSecretPart);
    }

    /**
     * False only when no alternative of the pattern can match: each needs its literal (a registered value,
     * {@code sk-}, {@code AKIA}, {@code gh-}, or {@code bearer} / {@code x-api-key} in any case), and a known shape
     * needs at least {@link #SHORTEST_KNOWN_SHAPE} characters. Recorders and logs pass most strings through here,
     * and these plain searches cost a fraction of the regex scan.
     */
    private static boolean mayHoldSecret(String text) {
        if (text.length() >= SHORTEST_KNOWN_SHAPE && mayHoldKnownShape(text)) {
            return true;
        }
        for (String value : registeredValues) {
            if (text.contains(value)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a known shape's literal is in the text, with room after it for what the shape needs. {@code sk-},
     * {@code gh-} and {@code x-api-key} all have a hyphen, so one search for hyphens finds every place where they
     * could start: a text is scanned four times (hyphens, {@code AKIA}, {@code b} and {@code B}) rather than once
     * per literal and case. The room matters because the gateway's own request ids ({@code gh-} and 22 hex
     * digits) are in every record a recorder writes, and are too short to be a virtual key.
     */
    private static boolean mayHoldKnownShape(String text) {
        for (int dash = text.indexOf('-'); dash >= 0; dash = text.indexOf('-', dash + 1)) {
            int after = text.length() - dash - 1;
            if (dash >= 2 && (after >= SK_KEY_BODY && text.startsWith("sk", dash - 2)
                    || after >= GH_KEY_BODY && text.startsWith("gh", dash - 2))
                    || dash >= 1 && text.regionMatches(true, dash - 1, "x-api-key", 0, "x-api-key".length())) {
                return true;
            }
        }
        return text.contains("AKIA") || TextSearch.containsIgnoreCase(text, "bearer");
    }

    private static String maskSecretPart(MatchResult match) {
        for (String group : SECRET_GROUPS) {
            if (match.start(group) >= 0) {
                String whole = match.group();
                int from = match.start(group) - match.start();
                int to = match.end(group) - match.start();
                return Matcher.quoteReplacement(whole.substring(0, from) + Secret.mask(match.group(group)) + whole.substring(to));
            }
        }
        return Matcher.quoteReplacement(Secret.mask(match.group()));
    }
}
