package io.gatehouse.provider.demo;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/** Text helpers shared by both dialects: fake token counts, streaming pieces, ids and embeddings. */
final class DemoText {

    static final int EMBEDDING_DIMENSIONS = 8;

    private static final Pattern BEFORE_WHITESPACE_RUN = Pattern.compile("(?<=\\S)(?=\\s)");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final String ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private DemoText() {
    }

    static String echo(String text) {
        return "Echo: " + text;
    }

    /** The demo's token count: whitespace-separated words. */
    static int countWords(String text) {
        String trimmed = text.strip();
        return trimmed.isEmpty() ? 0 : WHITESPACE.split(trimmed).length;
    }

    /** Splits text into words that keep their leading whitespace, so the pieces concatenate back to the text. */
    static List<String> wordsWithSpaces(String text) {
        return Arrays.asList(BEFORE_WHITESPACE_RUN.split(text, -1));
    }

    /** Cuts text into at least {@code minPieces} consecutive pieces (some empty when the text is that short). */
    static List<String> pieces(String text, int minPieces) {
        int count = Math.max(minPieces, (text.length() + 11) / 12);
        List<String> pieces = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            pieces.add(text.substring(i * text.length() / count, (i + 1) * text.length() / count));
        }
        return pieces;
    }

    static String randomId(String prefix, int length) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        StringBuilder id = new StringBuilder(prefix);
        for (int i = 0; i < length; i++) {
            id.append(ID_ALPHABET.charAt(random.nextInt(ID_ALPHABET.length())));
        }
        return id.toString();
    }

    /** A unit-length vector derived from a hash of the text, so equal inputs always embed equally. */
    static float[] embedding(String text) {
        ByteBuffer hash = ByteBuffer.wrap(sha256(text));
        float[] vector = new float[EMBEDDING_DIMENSIONS];
        double squaredLength = 0;
        for (int i = 0; i < vector.length; i++) {
            vector[i] = hash.getInt() / (float) Integer.MAX_VALUE;
            squaredLength += vector[i] * vector[i];
        }
        float length = (float) Math.sqrt(squaredLength);
        for (int i = 0; i < vector.length && length > 0; i++) {
            vector[i] /= length;
        }
        return vector;
    }

    /** The encoding OpenAI uses for {@code encoding_format: "base64"}: little-endian float32s. */
    static String base64(float[] vector) {
        ByteBuffer bytes = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float value : vector) {
            bytes.putFloat(value);
        }
        return Base64.getEncoder().encodeToString(bytes.array());
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM ships SHA-256", e);
        }
    }
}
