package io.gatehouse.replay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.pipeline.Json;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads {@code http_recorder} JSONL and pairs each request with its response and error by {@code request_id}.
 * Records of concurrent calls interleave, so order says nothing about pairing; it only breaks ties between calls
 * that carry no start time. A line that is not a usable record is reported and skipped, never fatal.
 */
final class RecordingReader {
    private static final Pattern RECORDING_FILE = Pattern.compile("recording_(\\d+)\\.jsonl");

    private final List<String> problems = new ArrayList<>();
    private final Map<String, RecordedRequest> requests = new LinkedHashMap<>();
    private final Map<String, RecordedResponse> responses = new HashMap<>();
    private final Map<String, RecordedError> errors = new HashMap<>();
    /** Where each response or error record was, for the message when its request never shows up. */
    private final Map<String, String> outcomeLocations = new LinkedHashMap<>();

    private RecordingReader() {
    }

    static Recording read(Path input) {
        List<Path> files = recordingFiles(input);
        RecordingReader reader = new RecordingReader();
        for (Path file : files) {
            reader.readFile(file);
        }
        return new Recording(files, reader.pairedCalls(), reader.problems);
    }

    private static List<Path> recordingFiles(Path input) {
        if (Files.isRegularFile(input)) {
            return List.of(input);
        }
        if (!Files.isDirectory(input)) {
            throw new RecordingException(input + ": no such file or directory");
        }
        List<Path> files;
        try (Stream<Path> entries = Files.list(input)) {
            files = entries.filter(path -> RECORDING_FILE.matcher(path.getFileName().toString()).matches())
                    .filter(Files::isRegularFile)
                    .sorted(Comparator.comparingLong(RecordingReader::fileNumber))
                    .toList();
        } catch (IOException e) {
            throw new RecordingException(input + ": cannot list the directory: " + e.getMessage());
        }
        if (files.isEmpty()) {
            throw new RecordingException(input + ": no recording_NNN.jsonl files in this directory");
        }
        return files;
    }

    /** The counter of {@code recording_NNN.jsonl}; a counter past 999 has more digits, so sort by value. */
    private static long fileNumber(Path file) {
        Matcher matcher = RECORDING_FILE.matcher(file.getFileName().toString());
        if (!matcher.matches()) {
            throw new IllegalStateException("filtered before: " + file);
        }
        String digits = matcher.group(1);
        return digits.length() > 18 ? Long.MAX_VALUE : Long.parseLong(digits);
    }

    private void readFile(Path file) {
        // A reader that replaces malformed UTF-8 rather than failing, so one bad byte costs one record, not the file.
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8))) {
            int lineNumber = 0;
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                lineNumber++;
                if (!line.isBlank()) {
                    readRecord(line, file + ":" + lineNumber);
                }
            }
        } catch (IOException e) {
            throw new RecordingException(file + ": cannot read: " + e.getMessage());
        }
    }

    private void readRecord(String line, String location) {
        JsonNode record;
        try {
            record = Json.MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
            problems.add(location + ": not valid JSON (" + e.getOriginalMessage() + ")");
            return;
        }
        if (record == null || !record.isObject()) {
            problems.add(location + ": not a JSON object");
            return;
        }
        String requestId = text(record, "request_id");
        if (requestId == null || requestId.isBlank()) {
            problems.add(location + ": no request_id");
            return;
        }
        String type = String.valueOf(text(record, "type"));
        switch (type) {
            case "request" -> addRequest(record, requestId, location);
            case "response" -> addResponse(record, requestId, location);
            case "error" -> addError(record, requestId, location);
            default -> problems.add(location + ": unknown record type \"" + type + "\" (expected request, response or error)");
        }
    }

    private void addRequest(JsonNode record, String requestId, String location) {
        String method = text(record, "method");
        String path = text(record, "path");
        String query = text(record, "query");
        String url = text(record, "url");
        if (url != null && (path == null || query == null)) {
            URI parsed = parseUrl(url);
            if (parsed != null) {
                path = path != null ? path : parsed.getRawPath();
                query = query != null ? query : parsed.getRawQuery();
            }
        }
        if (method == null || method.isBlank() || path == null || !path.startsWith("/")) {
            problems.add(location + ": request " + requestId + " has no method or no path starting with /");
            return;
        }
        RecordedRequest previous = requests.get(requestId);
        if (previous != null) {
            problems.add(location + ": another request record for " + requestId + " (first at " + previous.location() + ")");
            return;
        }
        RecordedBody body = RecordedBody.of(record.get("body"));
        if (!body.isDecodable()) {
            problems.add(location + ": the body of request " + requestId + " is not valid base64; it is sent empty");
        }
        JsonNode startTime = record.path("start_time");
        requests.put(requestId, new RecordedRequest(requestId, method.toUpperCase(Locale.ROOT), path,
                query == null ? "" : query, headers(record), body,
                text(record, "provider"), startTime.isNumber() ? startTime.doubleValue() : Double.NaN, location));
    }

    private void addResponse(JsonNode record, String requestId, String location) {
        JsonNode status = record.path("status_code");
        if (!status.canConvertToInt() || status.intValue() < 100 || status.intValue() > 999) {
            problems.add(location + ": response " + requestId + " has no valid status_code");
            return;
        }
        if (responses.containsKey(requestId)) {
            problems.add(location + ": another response record for " + requestId);
            return;
        }
        RecordedBody body = RecordedBody.of(record.get("body"));
        if (!body.isDecodable()) {
            problems.add(location + ": the body of response " + requestId + " is not valid base64; it is replayed empty");
        }
        responses.put(requestId, new RecordedResponse(status.intValue(), headers(record), body,
                record.path("is_streaming").asBoolean(false)));
        outcomeLocations.putIfAbsent(requestId, location);
    }

    private void addError(JsonNode record, String requestId, String location) {
        if (errors.containsKey(requestId)) {
            problems.add(location + ": another error record for " + requestId);
            return;
        }
        errors.put(requestId, new RecordedError(text(record, "error_type"), text(record, "error_message"),
                record.path("status_code").asInt(0)));
        outcomeLocations.putIfAbsent(requestId, location);
    }

    private List<RecordedCall> pairedCalls() {
        outcomeLocations.forEach((requestId, location) -> {
            if (!requests.containsKey(requestId)) {
                problems.add(location + ": response or error for " + requestId + ", which has no request record");
            }
        });
        List<RecordedCall> calls = new ArrayList<>();
        for (RecordedRequest request : requests.values()) {
            calls.add(new RecordedCall(request, responses.get(request.requestId()), errors.get(request.requestId())));
        }
        // Start order when every call has a start time; otherwise the order the requests were written (also
        // their start order, as the recorder writes a request when it arrives).
        if (calls.stream().noneMatch(call -> Double.isNaN(call.request().startTime()))) {
            calls.sort(Comparator.comparingDouble(call -> call.request().startTime()));
        }
        return calls;
    }

    private static Map<String, String> headers(JsonNode record) {
        Map<String, String> headers = new LinkedHashMap<>();
        record.path("headers").properties().forEach(header -> {
            if (header.getValue().isValueNode() && !header.getValue().isNull()) {
                headers.put(header.getKey().toLowerCase(Locale.ROOT), header.getValue().asText());
            }
        });
        return headers;
    }

    private static String text(JsonNode record, String field) {
        JsonNode value = record.get(field);
        return value == null || !value.isValueNode() || value.isNull() ? null : value.asText();
    }

    private static URI parseUrl(String url) {
        try {
            return URI.create(url);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
