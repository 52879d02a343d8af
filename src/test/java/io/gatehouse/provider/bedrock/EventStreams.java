package io.gatehouse.provider.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.pipeline.Json;
import io.gatehouse.provider.translate.StreamDecoder;
import io.gatehouse.provider.translate.StreamEvent;
import io.vertx.core.buffer.Buffer;
import software.amazon.eventstream.HeaderValue;
import software.amazon.eventstream.Message;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * ConverseStream bodies for tests: a golden {@code NAME.frames.json} lists the frames readably, each
 * {@code {"headers": {name: string}, "payload": JSON}}, and the event-stream library's encoder writes them as
 * the binary body Bedrock sends. Bodies are then fed to a decoder in several chunkings. Public for the translation
 * goldens of other packages, whose Bedrock streams are written the same way.
 */
public final class EventStreams {

    enum Chunking {
        WHOLE, FRAME_BY_FRAME, ONE_BYTE, RANDOM_PIECES
    }

    private EventStreams() {
    }

    /** The frames of a golden file, each encoded on its own. */
    static List<byte[]> frames(String name) {
        return frames(Golden.json(name + ".frames.json"));
    }

    /** Readable frames, each {@code {"headers": {name: string}, "payload": JSON}}, as one binary ConverseStream body. */
    public static byte[] body(JsonNode frames) {
        return body(frames(frames));
    }

    private static List<byte[]> frames(JsonNode frames) {
        List<byte[]> encoded = new ArrayList<>();
        for (JsonNode frame : frames) {
            Map<String, HeaderValue> headers = new LinkedHashMap<>();
            frame.get("headers").properties().forEach(
                    header -> headers.put(header.getKey(), HeaderValue.fromString(header.getValue().asText())));
            encoded.add(frame(headers, Json.write(frame.get("payload"))));
        }
        return encoded;
    }

    static byte[] frame(Map<String, HeaderValue> headers, byte[] payload) {
        return new Message(headers, payload).toByteBuffer().array();
    }

    static byte[] body(List<byte[]> frames) {
        Buffer body = Buffer.buffer();
        frames.forEach(body::appendBytes);
        return body.getBytes();
    }

    /** Everything the decoder emits for the body delivered in these chunks, finish() included. */
    static List<StreamEvent> decode(StreamDecoder decoder, List<byte[]> frames, Chunking chunking) {
        List<StreamEvent> events = new ArrayList<>();
        for (byte[] chunk : chunks(frames, chunking)) {
            events.addAll(decoder.decode(Buffer.buffer(chunk)));
        }
        events.addAll(decoder.finish());
        return events;
    }

    static List<byte[]> chunks(List<byte[]> frames, Chunking chunking) {
        byte[] body = body(frames);
        List<byte[]> chunks = new ArrayList<>();
        switch (chunking) {
            case WHOLE -> chunks.add(body);
            case FRAME_BY_FRAME -> chunks.addAll(frames);
            case ONE_BYTE -> {
                for (byte b : body) {
                    chunks.add(new byte[]{b});
                }
            }
            case RANDOM_PIECES -> {
                Random random = new Random(body.length);
                int offset = 0;
                while (offset < body.length) {
                    int length = Math.min(body.length - offset, 1 + random.nextInt(40));
                    byte[] piece = new byte[length];
                    System.arraycopy(body, offset, piece, 0, length);
                    chunks.add(piece);
                    offset += length;
                }
            }
        }
        return chunks;
    }
}
