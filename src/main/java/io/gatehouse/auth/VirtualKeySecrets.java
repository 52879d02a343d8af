package io.gatehouse.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Virtual key secrets: {@code gh-} followed by 43 base62 characters (256 random bits), so they are easy to copy
 * (a double click selects all of one) and obviously not a provider's key. Only the SHA-256 hex of a secret is stored
 * and looked up; a plain hash suffices because the secret is random at full strength, so nothing can be guessed.
 */
public final class VirtualKeySecrets {
    public static final String PREFIX = "gh-";
    static final int RANDOM_CHARS = 43;
    /** Characters kept for display: the prefix and 6 more, too few to narrow the search for the rest. */
    static final int DISPLAY_CHARS = PREFIX.length() + 6;
    private static final char[] BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();

    private final SecureRandom random = new SecureRandom();

    /** A freshly generated secret with what may be stored of it. */
    public record Issued(String secret, String hash, String displayPrefix) {
        @Override
        public String toString() {
            return "Issued[" + displayPrefix + "…]";
        }
    }

    public Issued issue() {
        StringBuilder secret = new StringBuilder(PREFIX.length() + RANDOM_CHARS).append(PREFIX);
        for (int i = 0; i < RANDOM_CHARS; i++) {
            secret.append(BASE62[random.nextInt(BASE62.length)]);
        }
        String value = secret.toString();
        return new Issued(value, hash(value), displayPrefix(value));
    }

    /** The lookup hash of a presented secret: lower-case SHA-256 hex of its UTF-8 bytes. */
    public static String hash(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
    }

    public static String displayPrefix(String secret) {
        return secret.substring(0, Math.min(DISPLAY_CHARS, secret.length()));
    }

    /** True when {@code presented} could be a virtual key at all; anything else is refused without a lookup. */
    public static boolean looksLikeKey(String presented) {
        if (presented == null || presented.length() != PREFIX.length() + RANDOM_CHARS || !presented.startsWith(PREFIX)) {
            return false;
        }
        for (int i = PREFIX.length(); i < presented.length(); i++) {
            char c = presented.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z')) {
                return false;
            }
        }
        return true;
    }

    /** Compares two secrets (or hashes) in time independent of where they differ. */
    public static boolean constantTimeEquals(String a, String b) {
        if (a == null || b == null) {
            return false;
        }
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
