package io.gatehouse.provider.openai.responses;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.pipeline.Json;
import io.gatehouse.pipeline.SseEvent;
import io.gatehouse.pipeline.SseParser;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fixtures under {@code golden/translate/openai-responses/}: request bodies as clients send them, and the
 * response bodies and event streams the codec must write, byte for byte as OpenAI's wire format has them. JSON is
 * compared as JSON; streams event by event, each event's name and its data as JSON.
 */
final class Goldens {
    /** The fixed clock of every golden: created_at 1755446400. */
    static final InstantSource CLOCK = InstantSource.fixed(Instant.ofEpochSecond(1_755_446_400L));

    private Goldens() {
    }

    static JsonNode json(String name) {
        try {
            return Json.MAPPER.readTree(bytes(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] bytes(String name) {
        String resource = "golden/translate/openai-responses/" + name;
        try (InputStream in = Goldens.class.getClassLoader().getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A tree as it reads back from its JSON text, so numbers compare as parsed numbers do. */
    static JsonNode reparsed(JsonNode tree) {
        try {
            return Json.MAPPER.readTree(Json.write(tree));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The events of an SSE body, fed to the gateway's parser in pieces of {@code pieceSize} bytes. */
    static List<SseEvent> events(byte[] sse, int pieceSize) {
        List<SseEvent> events = new ArrayList<>();
        SseParser parser = new SseParser(events::add);
        for (int from = 0; from < sse.length; from += pieceSize) {
            parser.feed(Buffer.buffer().appendBytes(sse, from, Math.min(pieceSize, sse.length - from)));
        }
        parser.finish();
        return events;
    }

    static void assertSameEvents(List<SseEvent> actual, List<SseEvent> expected) {
        for (int i = 0; i < Math.min(actual.size(), expected.size()); i++) {
            assertThat(actual.get(i).event()).as("event %d's name", i).isEqualTo(expected.get(i).event());
            assertThat(data(actual.get(i))).as("event %d (%s)", i, expected.get(i).event())
                    .isEqualTo(data(expected.get(i)));
        }
        assertThat(actual).as("number of events").hasSameSizeAs(expected);
    }

    static JsonNode data(SseEvent event) {
        try {
            return Json.MAPPER.readTree(event.data());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
