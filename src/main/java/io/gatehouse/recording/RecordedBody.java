package io.gatehouse.recording;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.pipeline.Json;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * The http_recorder's body object, {@code {"size", "type": json|text|binary|empty, "content"}}: parsed JSON when
 * the body is JSON, the text when it is valid UTF-8, base64 otherwise; a body over the limit keeps its size and type
 * and says {@code "truncated": true, "content": "[TRUNCATED: N bytes]"}. Built on a writer thread.
 */
final class RecordedBody {
    private static final char REPLACEMENT_CHARACTER = '\uFFFD';

    private RecordedBody() {
    }

    /**
     * @param bytes       the body, or null when it outgrew the limit
     * @param size        its length in bytes
     * @param contentType its Content-Type header, or null
     * @param parsed      the body already parsed as JSON (a request's), or null
     * @param redact      applied to the text and to every JSON string
     */
    static ObjectNode of(Buffer bytes, long size, String contentType, JsonNode parsed, UnaryOperator<String> redact) {
        ObjectNode body = Json.MAPPER.createObjectNode().put("size", size);
        if (size == 0) {
            return body.put("type", "empty").putNull("content");
        }
        if (bytes == null) {
            return body.put("type", declaredType(contentType)).put("truncated", true)
                    .put("content", "[TRUNCATED: " + size + " bytes]");
        }
        JsonNode json = parsed != null ? parsed : isJson(contentType) ? parse(bytes) : null;
        if (json != null) {
            body.put("type", "json");
            body.set("content", Redaction.strings(json, redact));
            return body;
        }
        String text = utf8(bytes);
        if (text != null) {
            return body.put("type", "text").put("content", redact.apply(text));
        }
        return body.put("type", "binary").put("content", Base64.getEncoder().encodeToString(bytes.getBytes()));
    }

    /** What a truncated body was, judged by its Content-Type alone. */
    private static String declaredType(String contentType) {
        if (isJson(contentType)) {
            return "json";
        }
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        return type.startsWith("text/") || type.contains("xml") || type.contains("form-urlencoded") ? "text" : "binary";
    }

    static boolean isJson(String contentType) {
        return contentType != null && contentType.toLowerCase(Locale.ROOT).contains("json");
    }

    static JsonNode parse(Buffer bytes) {
        try {
            return Json.MAPPER.readTree(bytes.getBytes());
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * The text, or null when the bytes are not valid UTF-8. Decoding puts U+FFFD for every malformed sequence, so a
     * text without that character came from valid bytes; only one with it (rare, and usually malformed) is decoded
     * again strictly, to tell the two apart. The plain decoding is the JDK's fast path, many times quicker than a
     * reporting decoder on the large bodies recorders see.
     */
    static String utf8(Buffer bytes) {
        String text = bytes.toString(StandardCharsets.UTF_8);
        if (text.indexOf(REPLACEMENT_CHARACTER) < 0) {
            return text;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.getBytes())).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
