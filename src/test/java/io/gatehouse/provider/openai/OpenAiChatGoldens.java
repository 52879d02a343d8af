package io.gatehouse.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.pipeline.Json;
import io.gatehouse.pipeline.SseEvent;
import io.gatehouse.pipeline.SseParser;
import io.gatehouse.provider.translate.StreamDecoder;
import io.gatehouse.provider.translate.StreamEncoder;
import io.gatehouse.provider.translate.StreamEvent;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The translation goldens under {@code golden/translate/openai-chat/}: bodies and streams exactly as they go over
 * the wire, read and compared here. JSON is compared as JSON (numbers by value, so 42 written as a long equals the
 * file's 42), SSE event by event, each event's data as JSON when it is JSON.
 */
final class OpenAiChatGoldens {
    private static final String DIRECTORY = "golden/translate/openai-chat/";

    /** How a stream's bytes reach a decoder: the network may split them anywhere, inside a UTF-8 character too. */
    enum Chunking {
        WHOLE, ONE_BYTE, RANDOM_PIECES
    }

    private OpenAiChatGoldens() {
    }

    static byte[] bytes(String name) {
        try (InputStream in = OpenAiChatGoldens.class.getClassLoader().getResourceAsStream(DIRECTORY + name)) {
            assertThat(in).as("golden %s on the test class path", name).isNotNull();
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode json(String name) {
        try {
            return Json.MAPPER.readTree(bytes(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<byte[]> split(byte[] stream, Chunking chunking) {
        return switch (chunking) {
            case WHOLE -> List.of(stream);
            case ONE_BYTE -> pieces(stream, new Random(0), 1);
            // A fixed seed, so a failure replays exactly.
            case RANDOM_PIECES -> pieces(stream, new Random(7), 61);
        };
    }

    private static List<byte[]> pieces(byte[] stream, Random random, int maxPiece) {
        List<byte[]> pieces = new ArrayList<>();
        for (int from = 0; from < stream.length; ) {
            int to = Math.min(stream.length, from + 1 + random.nextInt(maxPiece));
            pieces.add(Arrays.copyOfRange(stream, from, to));
            from = to;
        }
        return pieces;
    }

    /** Every event the decoder yields for the stream fed in pieces, then for its end. */
    static List<StreamEvent> decodeAll(StreamDecoder decoder, byte[] stream, Chunking chunking) {
        List<StreamEvent> events = new ArrayList<>();
        for (byte[] piece : split(stream, chunking)) {
            events.addAll(decoder.decode(Buffer.buffer(piece)));
        }
        events.addAll(decoder.finish());
        return events;
    }

    static Buffer encodeAll(StreamEncoder encoder, List<StreamEvent> events) {
        Buffer out = Buffer.buffer();
        events.forEach(event -> out.appendBuffer(encoder.encode(event)));
        return out;
    }

    static List<SseEvent> sseEvents(Buffer stream) {
        List<SseEvent> events = new ArrayList<>();
        SseParser parser = new SseParser(events::add);
        parser.feed(stream);
        parser.finish();
        return events;
    }

    /** The stream holds the golden's events, in order, with the same data; and its bytes are well-formed SSE. */
    static void assertSameSse(Buffer actual, String expectedGolden) {
        assertThat(actual.toString()).as("every event ends with a blank line").endsWith("\n\n");
        List<SseEvent> expected = sseEvents(Buffer.buffer(bytes(expectedGolden)));
        List<SseEvent> got = sseEvents(actual);
        for (int i = 0; i < Math.min(expected.size(), got.size()); i++) {
            SseEvent want = expected.get(i);
            SseEvent have = got.get(i);
            assertThat(have.event()).as("event %d's name", i).isEqualTo(want.event());
            JsonNode wantJson = EventJson.parseObject(want.data());
            if (wantJson == null) {
                assertThat(have.data()).as("event %d", i).isEqualTo(want.data());
            } else {
                assertSameJson(EventJson.parseObject(have.data()), wantJson, "event " + i);
            }
        }
        assertThat(got).as("number of events").hasSize(expected.size());
    }

    static void assertSameJson(JsonNode actual, JsonNode expected, String what) {
        assertThat(actual).as(what).isNotNull();
        assertThat(actual.equals(NUMBERS_BY_VALUE, expected))
                .as("%s:%n  actual   %s%n  expected %s", what, actual, expected)
                .isTrue();
    }

    private static final Comparator<JsonNode> NUMBERS_BY_VALUE = (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue());
        }
        return a.equals(b) ? 0 : 1;
    };
}
