package io.gatehouse.store.crypto;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;

/**
 * The 256-bit key that encrypts provider keys at rest. It comes from {@code GATEHOUSE_MASTER_KEY} (base64 or
 * hex of 32 bytes) or else from a key file, created with 32 random bytes and mode 0600 on first run. Its
 * {@link #id()} is a short fingerprint stored beside every ciphertext, so that a later rotation can tell which
 * key sealed a value.
 */
public final class MasterKey {
    public static final String ENV = "GATEHOUSE_MASTER_KEY";
    public static final String DEFAULT_FILE = "./data/master.key";
    static final int BYTES = 32;

    private final SecretKey key;
    private final String id;
    private final String source;

    private MasterKey(byte[] bytes, String source) {
        this.key = new SecretKeySpec(bytes, "AES");
        this.id = fingerprint(bytes);
        this.source = source;
        Arrays.fill(bytes, (byte) 0);
    }

    /**
     * The key from {@code env}'s {@value #ENV} when set, else from {@code keyFile}, which is created when missing.
     *
     * @throws IllegalStateException naming the source and what is wrong with it, never the key
     */
    public static MasterKey load(Map<String, String> env, Path keyFile) {
        String fromEnv = env.get(ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return new MasterKey(decode(fromEnv.trim(), ENV), ENV);
        }
        return fromFile(keyFile);
    }

    public static MasterKey fromBytes(byte[] bytes) {
        if (bytes.length != BYTES) {
            throw new IllegalStateException("a master key must be " + BYTES + " bytes, got " + bytes.length);
        }
        return new MasterKey(bytes.clone(), "bytes");
    }

    private static MasterKey fromFile(Path keyFile) {
        try {
            if (!Files.exists(keyFile)) {
                createKeyFile(keyFile);
            }
            if (PrivateFiles.isSharedWithOthers(keyFile)) {
                throw new IllegalStateException("the master key file " + keyFile
                        + " can be read or written by other users; run chmod 600 on it");
            }
            byte[] content = Files.readAllBytes(keyFile);
            String where = "the master key file " + keyFile;
            // 32 raw bytes as written on first run, or the same base64/hex text GATEHOUSE_MASTER_KEY accepts.
            return new MasterKey(content.length == BYTES ? content : decode(new String(content, StandardCharsets.US_ASCII).trim(), where), keyFile.toString());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read or create the master key file " + keyFile + ": " + e.getMessage(), e);
        }
    }

    private static void createKeyFile(Path keyFile) throws IOException {
        Path dir = keyFile.toAbsolutePath().getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            PrivateFiles.createPrivateDirectories(dir);
        }
        byte[] bytes = new byte[BYTES];
        new SecureRandom().nextBytes(bytes);
        try {
            PrivateFiles.createPrivateFile(keyFile);
        } catch (FileAlreadyExistsException raced) {
            return; // another process created it first: use theirs
        }
        Files.write(keyFile, bytes);
        Arrays.fill(bytes, (byte) 0);
    }

    private static byte[] decode(String text, String where) {
        byte[] bytes;
        if (text.length() == 2 * BYTES && text.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            bytes = HexFormat.of().parseHex(text);
        } else {
            try {
                bytes = text.contains("-") || text.contains("_") ? Base64.getUrlDecoder().decode(text) : Base64.getDecoder().decode(text);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(where + " must be 32 bytes written as base64 or as 64 hex digits; it is neither");
            }
        }
        if (bytes.length != BYTES) {
            throw new IllegalStateException(where + " must be 32 bytes written as base64 or as 64 hex digits; it decodes to "
                    + bytes.length + " bytes");
        }
        return bytes;
    }

    /** First 8 hex digits of SHA-256 over a label and the key: identifies the key, reveals nothing usable about it. */
    private static String fingerprint(byte[] bytes) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update("gatehouse master key id".getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(digest.digest(bytes), 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
    }

    SecretKey secretKey() {
        return key;
    }

    public String id() {
        return id;
    }

    /** Where the key came from ({@value #ENV} or the file path), for a startup log line. */
    public String source() {
        return source;
    }

    @Override
    public String toString() {
        return "MasterKey[" + id + " from " + source + "]";
    }
}
