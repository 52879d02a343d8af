package io.gatehouse.recording;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Reads what recorders wrote, failing on any line that is not JSON. */
final class RecordedFiles {
    static final ObjectMapper JSON = new ObjectMapper();

    private RecordedFiles() {
    }

    static List<JsonNode> lines(Path file) {
        try {
            List<JsonNode> lines = new ArrayList<>();
            String text = Files.readString(file);
            if (!text.isEmpty() && !text.endsWith("\n")) {
                throw new AssertionError(file + " does not end with a line break");
            }
            for (String line : text.split("\n", -1)) {
                if (!line.isEmpty()) {
                    lines.add(JSON.readTree(line));
                }
            }
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException(file + " holds a line that is not JSON", e);
        }
    }

    static JsonNode json(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(file + " is not JSON", e);
        }
    }

    /** The files in a folder, by name. */
    static List<Path> list(Path directory) {
        try (Stream<Path> files = Files.list(directory)) {
            return files.sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every record of every {@code recording_NNN.jsonl} in order. */
    static List<JsonNode> recordings(Path directory) {
        return list(directory).stream()
                .filter(file -> file.getFileName().toString().matches("recording_\\d{3,}\\.jsonl"))
                .flatMap(file -> lines(file).stream())
                .toList();
    }

    /** Records by request id, then by type (request, response, error). */
    static Map<String, Map<String, JsonNode>> byRequestId(List<JsonNode> records) {
        return records.stream().collect(Collectors.groupingBy(record -> record.path("request_id").asText(),
                Collectors.toMap(record -> record.path("type").asText(), record -> record)));
    }

    static String permissions(Path path) {
        try {
            return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String text(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
