package io.gatehouse.provider.openai.responses;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.gatehouse.pipeline.Json;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Writes one stream's Responses API events as OpenAI sends them: {@code event: <type>}, then a data line of JSON
 * opening with {@code type} and {@code sequence_number} (counted from 0), then a blank line. The JSON is generated
 * straight into bytes by one generator kept for the stream. Not thread-safe: one per stream.
 */
final class EventFrames {
    private static final byte[] EVENT = "event: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DATA = "\ndata: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "\n\n".getBytes(StandardCharsets.US_ASCII);

    /** The fields after type and sequence_number. */
    @FunctionalInterface
    interface Fields {
        void write(JsonGenerator json) throws IOException;
    }

    private final ByteArrayBuilder bytes = new ByteArrayBuilder(512);
    private final JsonGenerator json;
    private Buffer pending;
    private int sequence;

    EventFrames() {
        try {
            json = Json.MAPPER.createGenerator(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // Each frame is one root value; without this the generator puts a space between them.
        json.setRootValueSeparator(null);
    }

    void write(String type, Fields fields) {
        try {
            json.writeStartObject();
            json.writeStringField("type", type);
            json.writeNumberField("sequence_number", sequence++);
            fields.write(json);
            json.writeEndObject();
            json.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (pending == null) {
            pending = Buffer.buffer(bytes.size() + 64);
        }
        pending.appendBytes(EVENT).appendString(type, "US-ASCII").appendBytes(DATA)
                .appendBytes(bytes.toByteArray()).appendBytes(END);
        bytes.reset();
    }

    /** The frames written since the last call, possibly none. */
    Buffer take() {
        Buffer written = pending == null ? Buffer.buffer() : pending;
        pending = null;
        return written;
    }
}
