package io.gatehouse.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.pipeline.Json;
import io.gatehouse.pipeline.SseParser;
import io.gatehouse.provider.StreamAssembler;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.params.provider.Arguments;

import java.io.IOException;
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
 * The golden transcripts under {@code src/test/resources/golden/<api>/}: {@code NAME.sse} is a stream
 * exactly as the provider sends it, {@code NAME.json} the unstreamed body it must assemble into, and
 * {@code NAME.error.json}, when present, the error it must report. Streams named {@code cut-*} or
 * {@code error-*} end without their terminator. Each is replayed through the gateway's own
 * {@link SseParser} in several chunkings, since the network may split a stream anywhere.
 */
public final class GoldenTranscripts {

    public enum Chunking {
        WHOLE, ONE_BYTE, RANDOM_PIECES
    }

    public record Transcript(Path sse) {
        public String name() {
            String file = sse.getFileName().toString();
            return file.substring(0, file.length() - ".sse".length());
        }

        JsonNode expectedResult() {
            return read(sibling(".json"));
        }

        JsonNode expectedError() {
            Path error = sibling(".error.json");
            return Files.exists(error) ? read(error) : null;
        }

        boolean expectedComplete() {
            return !(name().startsWith("cut-") || name().startsWith("error-"));
        }

        private Path sibling(String suffix) {
            return sse.resolveSibling(name() + suffix);
        }

        @Override
        public String toString() {
            return name();
        }
    }

    private GoldenTranscripts() {
    }

    /** Every transcript of one API, in every chunking. */
    public static Stream<Arguments> cases(String api) {
        return transcripts(api).flatMap(transcript ->
                Arrays.stream(Chunking.values()).map(chunking -> Arguments.of(transcript, chunking)));
    }

    /** Feeds the transcript through the gateway's SSE parser into the assembler, then checks all it reports. */
    public static void assertAssembles(Transcript transcript, Chunking chunking, StreamAssembler assembler) {
        SseParser parser = new SseParser(assembler::onEvent);
        for (byte[] piece : split(bytes(transcript.sse()), chunking)) {
            parser.feed(Buffer.buffer(piece));
        }
        parser.finish();
        assertThat(assembler.result()).as("result").isEqualTo(transcript.expectedResult());
        assertThat(assembler.error()).as("error").isEqualTo(transcript.expectedError());
        assertThat(assembler.complete()).as("complete").isEqualTo(transcript.expectedComplete());
    }

    private static Stream<Transcript> transcripts(String api) {
        try (Stream<Path> files = Files.list(directory(api))) {
            List<Transcript> found = files.filter(file -> file.toString().endsWith(".sse")).sorted()
                    .map(Transcript::new).toList();
            assertThat(found).as("golden transcripts for %s", api).isNotEmpty();
            return found.stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path directory(String api) {
        URL url = GoldenTranscripts.class.getClassLoader().getResource("golden/" + api);
        assertThat(url).as("golden/%s on the test class path", api).isNotNull();
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<byte[]> split(byte[] stream, Chunking chunking) {
        return switch (chunking) {
            case WHOLE -> List.of(stream);
            case ONE_BYTE -> pieces(stream, new Random(0), 1);
            // A fixed seed, so a failure replays exactly; pieces cut through lines and UTF-8 characters.
            case RANDOM_PIECES -> pieces(stream, new Random(20250817), 97);
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

    private static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode read(Path file) {
        try {
            return Json.MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
