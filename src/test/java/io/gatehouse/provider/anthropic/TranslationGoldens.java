package io.gatehouse.provider.anthropic;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.pipeline.Json;
import io.gatehouse.pipeline.SseEvent;
import io.gatehouse.pipeline.SseParser;
import io.gatehouse.provider.translate.Part;
import io.gatehouse.provider.translate.StreamEvent;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The translation goldens of the Anthropic codecs, under {@code golden/translate/anthropic-messages/}: wire bodies
 * and streams exactly as sent, and unified values as JSON, each record written with its type name under
 * {@code "@type"} ({@code {"@type":"TextDelta","index":0,"text":"Hi"}}), null fields left out.
 */
final class TranslationGoldens {
    static final String FOLDER = "golden/translate/anthropic-messages/";
    /** The real Anthropic transcripts the stream assembler is tested with, reused as decoder input. */
    static final String TRANSCRIPTS = "golden/anthropic-messages/";
    static final ObjectMapper UNIFIED = unifiedMapper();
    private static final TypeReference<List<StreamEvent>> EVENT_LIST = new TypeReference<>() {
    };

    enum Chunking {
        WHOLE, ONE_BYTE, RANDOM_PIECES
    }

    @JsonTypeInfo(use = JsonTypeInfo.Id.SIMPLE_NAME, property = "@type")
    private interface Typed {
    }

    private TranslationGoldens() {
    }

    private static ObjectMapper unifiedMapper() {
        ObjectMapper mapper = Json.MAPPER.copy();
        mapper.addMixIn(Part.class, Typed.class);
        mapper.addMixIn(StreamEvent.class, Typed.class);
        mapper.registerSubtypes(Part.class.getPermittedSubclasses());
        mapper.registerSubtypes(StreamEvent.class.getPermittedSubclasses());
        mapper.setDefaultPropertyInclusion(JsonInclude.Include.NON_NULL);
        return mapper;
    }

    /** A unified value as JSON, read back from its text so numbers compare as a golden file's do. */
    static JsonNode unifiedJson(Object value) {
        try {
            return Json.MAPPER.readTree(UNIFIED.writeValueAsString(value));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stream events as JSON; a list needs its element type spelt out, or the type names would be lost. */
    static JsonNode eventsJson(List<StreamEvent> events) {
        try {
            return Json.MAPPER.readTree(UNIFIED.writerFor(EVENT_LIST).writeValueAsString(events));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static <T> T unified(String resource, Class<T> type) {
        try {
            return UNIFIED.readValue(bytes(resource), type);
        } catch (IOException e) {
            throw new UncheckedIOException(resource, e);
        }
    }

    static List<StreamEvent> events(String resource) {
        try {
            return UNIFIED.readValue(bytes(resource), EVENT_LIST);
        } catch (IOException e) {
            throw new UncheckedIOException(resource, e);
        }
    }

    static JsonNode json(String resource) {
        try {
            return Json.MAPPER.readTree(bytes(resource));
        } catch (IOException e) {
            throw new UncheckedIOException(resource, e);
        }
    }

    static byte[] bytes(String resource) {
        try (InputStream in = TranslationGoldens.class.getClassLoader().getResourceAsStream(resource)) {
            assertThat(in).as("%s on the test class path", resource).isNotNull();
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The names of the files in a golden folder ending in {@code suffix}, without it, sorted. */
    static Stream<String> names(String folder, String suffix) {
        URL url = TranslationGoldens.class.getClassLoader().getResource(folder);
        assertThat(url).as("%s on the test class path", folder).isNotNull();
        try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
            List<String> names = files.map(file -> file.getFileName().toString())
                    .filter(name -> name.endsWith(suffix))
                    .map(name -> name.substring(0, name.length() - suffix.length()))
                    .sorted().toList();
            assertThat(names).as("goldens *%s in %s", suffix, folder).isNotEmpty();
            return names.stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The stream cut as the network might: whole, byte by byte (through UTF-8 characters), in random pieces. */
    static List<Buffer> chunks(byte[] stream, Chunking chunking) {
        int maxPiece = switch (chunking) {
            case WHOLE -> stream.length;
            case ONE_BYTE -> 1;
            case RANDOM_PIECES -> 53;
        };
        // A fixed seed, so a failure replays exactly.
        Random random = new Random(20250817);
        List<Buffer> pieces = new ArrayList<>();
        for (int from = 0; from < stream.length; ) {
            int to = chunking == Chunking.RANDOM_PIECES
                    ? Math.min(stream.length, from + 1 + random.nextInt(maxPiece))
                    : Math.min(stream.length, from + maxPiece);
            pieces.add(Buffer.buffer(Arrays.copyOfRange(stream, from, to)));
            from = to;
        }
        return pieces;
    }

    static List<SseEvent> sseEvents(byte[] stream) {
        List<SseEvent> events = new ArrayList<>();
        SseParser parser = new SseParser(events::add);
        parser.feed(Buffer.buffer(stream));
        parser.finish();
        return events;
    }

    /** Two SSE streams are the same when they hold the same events in order: same names, same JSON data. */
    static void assertSameEvents(byte[] actual, byte[] expected) {
        List<SseEvent> actualEvents = sseEvents(actual);
        List<SseEvent> expectedEvents = sseEvents(expected);
        for (int i = 0; i < Math.min(actualEvents.size(), expectedEvents.size()); i++) {
            SseEvent got = actualEvents.get(i);
            SseEvent want = expectedEvents.get(i);
            assertThat(got.event()).as("name of event %d", i).isEqualTo(want.event());
            assertThat(readTree(got.data())).as("data of event %d (%s)", i, want.event())
                    .isEqualTo(readTree(want.data()));
        }
        assertThat(actualEvents).as("events in\n%s", new String(actual)).hasSameSizeAs(expectedEvents);
    }

    /** A body as its receiver reads it: written out and parsed back, so 5 is 5 whether built as int or long. */
    static JsonNode asSent(JsonNode body) {
        return readTree(Json.writeString(body));
    }

    static JsonNode readTree(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(json, e);
        }
    }
}
