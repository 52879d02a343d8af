package io.gatehouse.session;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Hex digests of text, as the seed computes its agent and trace ids. */
public final class Digests {
    /**
     * One MD5 per thread, reused: looking the algorithm up in the security providers costs more than hashing an
     * id, and ids are hashed for every event. {@link MessageDigest#digest(byte[])} leaves it reset.
     */
    private static final ThreadLocal<MessageDigest> MD5 = ThreadLocal.withInitial(() -> newDigest("MD5"));

    private Digests() {
    }

    static MessageDigest newDigest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has " + algorithm, e);
        }
    }

    public static String md5Hex(String text) {
        return HexFormat.of().formatHex(MD5.get().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    static String sha256Hex(String text) {
        return HexFormat.of().formatHex(newDigest("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
