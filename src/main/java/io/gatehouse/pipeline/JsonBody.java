package io.gatehouse.pipeline;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A request's JSON body. A body that arrives is checked by one pass of the streaming parser, which also notes its
 * top-level {@code model} and {@code stream}; the tree is built only when something asks for it. A plain proxy
 * never does, and building the tree was the largest cost of a proxied call that the gateway owned (about 7% of its
 * CPU) and, held for a stream's life, about 1 KB of heap per stream, several times the body's own size.
 *
 * <p>The check accepts exactly what {@link Json#MAPPER}'s {@code readTree} accepts: the same parser reads one root
 * value to its end, so syntax, encoding and the parser's limits are checked alike; what follows the root value is
 * not read, as {@code readTree} does not read it.
 */
public final class JsonBody {
    private volatile JsonNode tree;
    /** The bytes the tree is built from; null once it is built (or when the body was given as a tree). */
    private volatile Buffer source;
    private final String scannedModel;
    private final boolean scannedStream;

    private JsonBody(JsonNode tree, Buffer source, String scannedModel, boolean scannedStream) {
        this.tree = tree;
        this.source = source;
        this.scannedModel = scannedModel;
        this.scannedStream = scannedStream;
    }

    /** A body already parsed. */
    public static JsonBody of(JsonNode tree) {
        return new JsonBody(tree, null, null, false);
    }

    /**
     * Checks that these bytes are a JSON document as {@code readTree} would parse it, and notes its top-level
     * {@code model} and {@code stream}. The caller must not change the bytes afterwards.
     *
     * @throws IOException (a {@link com.fasterxml.jackson.core.JsonProcessingException} with its location) when they
     *                     are not
     */
    public static JsonBody scan(Buffer bytes) throws IOException {
        String model = null;
        boolean stream = false;
        try (JsonParser parser = parserOver(bytes)) {
            JsonToken root = parser.nextToken();
            if (root == JsonToken.START_OBJECT) {
                for (JsonToken token = parser.nextToken(); token == JsonToken.FIELD_NAME; token = parser.nextToken()) {
                    String field = parser.currentName();
                    JsonToken value = parser.nextToken();
                    // A repeated field counts as readTree counts it: the last one wins.
                    if ("model".equals(field)) {
                        model = value == JsonToken.VALUE_STRING ? parser.getText() : null;
                    } else if ("stream".equals(field)) {
                        stream = asBoolean(parser, value);
                    }
                    parser.skipChildren(); // only moves on when the value is an object or an array
                }
            } else if (root != null) {
                parser.skipChildren();
            }
        }
        return new JsonBody(null, bytes, model, stream);
    }

    /** A parser reading the buffer's own bytes. */
    private static JsonParser parserOver(Buffer bytes) throws IOException {
        Bytes b = Bytes.of(bytes);
        return Json.MAPPER.createParser(b.array(), b.offset(), b.length());
    }

    /** A buffer's bytes in place where it has an array, as bodies read from the network do; else a copy. */
    private record Bytes(byte[] array, int offset, int length) {
        static Bytes of(Buffer buffer) {
            ByteBuf buf = ((BufferInternal) buffer).unwrap();
            if (buf.hasArray()) {
                return new Bytes(buf.array(), buf.arrayOffset() + buf.readerIndex(), buf.readableBytes());
            }
            byte[] copy = buffer.getBytes();
            return new Bytes(copy, 0, copy.length);
        }
    }

    /** {@link JsonNode#asBoolean(boolean)} with false as the default, read from the token. */
    private static boolean asBoolean(JsonParser parser, JsonToken value) throws IOException {
        return switch (value) {
            case VALUE_TRUE -> true;
            case VALUE_NUMBER_INT -> parser.getBigIntegerValue().signum() != 0;
            case VALUE_STRING -> "true".equals(parser.getText().trim());
            default -> false;
        };
    }

    /** The parsed body, built on first use. Do not change it: build a new request with a new tree instead. */
    public JsonNode tree() {
        JsonNode parsed = tree;
        if (parsed != null) {
            return parsed;
        }
        Buffer bytes = source;
        if (bytes == null) { // another thread built it and let go of the bytes in between
            return tree;
        }
        try {
            Bytes b = Bytes.of(bytes);
            parsed = Json.MAPPER.readTree(b.array(), b.offset(), b.length());
        } catch (IOException e) {
            throw new UncheckedIOException("A checked JSON body failed to parse", e);
        }
        tree = parsed;
        source = null;
        return parsed;
    }

    /** The top-level {@code "model"} when the body is an object and it is a string; otherwise null. */
    public String model() {
        JsonNode parsed = tree;
        if (parsed == null) {
            return scannedModel;
        }
        JsonNode model = parsed.get("model");
        return parsed.isObject() && model != null && model.isTextual() ? model.textValue() : null;
    }

    /** True when the body asks for an event stream: a top-level {@code "stream"} that reads as true. */
    public boolean stream() {
        JsonNode parsed = tree;
        return parsed == null ? scannedStream : parsed.path("stream").asBoolean(false);
    }
}
