package io.gatehouse.recording;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.events.Event;
import io.gatehouse.pipeline.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The event recorder's files, {@code {output_dir}/session_{id}.jsonl|json}, one per session, 0600.
 *
 * <p>{@code jsonl}: an optional first line {@code {"_metadata":{format,session_id,created_at,interceptor}}}, then one
 * event per line, appended. {@code json}: {@code {"events":[…],"metadata":{…}}} (no metadata with
 * {@code include_metadata: false}). Rather than rewriting the file per event, as the seed does, each flush seeks
 * back over the closing {@code ]} and the metadata and appends the batch's events, then writes them again: the work
 * per event stays constant however long the session, and the file is whole JSON after every flush.
 *
 * <p>Files are written through to the operating system at every flush, so the gateway exiting, cleanly or not, loses
 * nothing written; they are not forced to the disk, since one file per session at thousands of new sessions a second
 * would make that the gateway's main cost. Like any log file, only an operating-system crash can lose the newest.
 *
 * <p>Events of a batch are grouped by session, so each touched file is opened once per batch. What this keeps per
 * session (its creation time, event count and where its events end) is forgotten at {@code session.end}.
 */
final class SessionEventFiles implements RecordSink<Event> {
    private static final Logger LOG = LoggerFactory.getLogger(SessionEventFiles.class);
    private static final String INTERCEPTOR = "event_recorder";
    private static final String JSON_HEAD = "{\"events\":[";
    /** What goes before an event in the json format: a line break, and a comma after an earlier event. */
    private static final byte[] NEXT_FIRST = "\n".getBytes(StandardCharsets.UTF_8);
    private static final byte[] NEXT_LATER = ",\n".getBytes(StandardCharsets.UTF_8);

    private static final Pattern UNSAFE_NAME_CHARACTERS = Pattern.compile("[^A-Za-z0-9_-]");

    enum Format { JSONL, JSON }

    private final Path directory;
    private final Format format;
    private final boolean includeMetadata;
    private final ObjectWriter eventWriter;
    /** Each session's events of the batch, rendered (redacted JSON) as they came. */
    private final Map<String, List<byte[]>> pending = new LinkedHashMap<>();
    private final Map<String, SessionFile> sessions = new HashMap<>();
    private final Set<String> endedInBatch = new LinkedHashSet<>();

    SessionEventFiles(Path directory, Format format, boolean prettyPrint, boolean includeMetadata) throws IOException {
        this.directory = PrivateFiles.directory(directory);
        this.format = format;
        this.includeMetadata = includeMetadata;
        // A JSON-lines file holds one event per line, so only the json format can be pretty.
        this.eventWriter = prettyPrint && format == Format.JSON ? Json.MAPPER.writerWithDefaultPrettyPrinter() : Json.MAPPER.writer();
    }

    /** {@code session_{id}.{ext}} with the id cut to {@code [A-Za-z0-9_-]}, as the seed names them. */
    static String fileName(String sessionId, Format format) {
        String safe = sessionId == null ? "" : UNSAFE_NAME_CHARACTERS.matcher(sessionId).replaceAll("");
        if (safe.isEmpty()) {
            safe = "unknown";
        }
        if (safe.length() > 200) {
            safe = safe.substring(0, 200);
        }
        return "session_" + safe + (format == Format.JSON ? ".json" : ".jsonl");
    }

    @Override
    public void write(Event event) throws IOException {
        String sessionId = event.sessionId() == null ? "unknown" : event.sessionId();
        byte[] json = Redaction.json(eventWriter, event, Redaction::secrets);
        pending.computeIfAbsent(sessionId, id -> new ArrayList<>()).add(json);
        if (Event.SESSION_END.equals(event.name())) {
            endedInBatch.add(sessionId);
        }
    }

    @Override
    public void flush() throws IOException {
        IOException failure = null;
        for (Map.Entry<String, List<byte[]>> batch : pending.entrySet()) {
            try {
                Path file = directory.resolve(fileName(batch.getKey(), format));
                if (format == Format.JSONL) {
                    appendLines(file, batch.getKey(), batch.getValue());
                } else {
                    appendToDocument(file, batch.getKey(), batch.getValue());
                }
            } catch (IOException e) {
                failure = e;
            }
        }
        pending.clear();
        endedInBatch.forEach(sessions::remove);
        endedInBatch.clear();
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public void close() throws IOException {
        flush();
    }

    /**
     * Appends the events as lines, after the metadata line when the file is new, in one write; a last line cut
     * short (the process was killed mid-write) gets a line break first, so that it stays the only unreadable one.
     * Not forced to the disk: see the class comment.
     */
    private void appendLines(Path file, String sessionId, List<byte[]> events) throws IOException {
        try (FileChannel channel = PrivateFiles.readWrite(file)) {
            long size = channel.size();
            ByteArrayOutputStream lines = new ByteArrayOutputStream(1024);
            if (size > 0 && !endsWithLineBreak(channel, size)) {
                lines.write('\n');
            }
            if (includeMetadata && size == 0) {
                ObjectNode metadata = Json.MAPPER.createObjectNode();
                metadata.putObject("_metadata")
                        .put("format", "jsonl")
                        .put("session_id", sessionId)
                        .put("created_at", Instant.now().toString())
                        .put("interceptor", INTERCEPTOR);
                lines.write(Json.MAPPER.writeValueAsBytes(metadata));
                lines.write('\n');
            }
            for (byte[] event : events) {
                lines.write(event);
                lines.write('\n');
            }
            ByteBuffer out = ByteBuffer.wrap(lines.toByteArray());
            for (long at = size; out.hasRemaining(); ) {
                at += channel.write(out, at);
            }
        }
    }

    private static boolean endsWithLineBreak(FileChannel channel, long size) throws IOException {
        ByteBuffer last = ByteBuffer.allocate(1);
        channel.read(last, size - 1);
        return last.get(0) == '\n';
    }

    private void appendToDocument(Path file, String sessionId, List<byte[]> events) throws IOException {
        SessionFile session = sessions.get(sessionId);
        if (session == null) {
            session = open(file, sessionId);
            sessions.put(sessionId, session);
        }
        ByteArrayOutputStream text = new ByteArrayOutputStream(1024);
        for (byte[] event : events) {
            text.write(session.eventsCount == 0 ? NEXT_FIRST : NEXT_LATER);
            text.write(event);
            session.eventsCount++;
        }
        byte[] added = text.toByteArray();
        try (FileChannel channel = PrivateFiles.readWrite(file)) {
            writeAt(channel, session.eventsEnd, added, tail(session));
        }
        session.eventsEnd += added.length;
    }

    /**
     * The session's document as this run first meets it: a new one, or an existing one (from before a restart)
     * read and written back in this layout. An unreadable one is moved aside rather than lost.
     */
    private SessionFile open(Path file, String sessionId) throws IOException {
        SessionFile session = new SessionFile(sessionId, Instant.now().toString());
        List<JsonNode> earlier = new ArrayList<>();
        if (Files.exists(file) && Files.size(file) > 0) {
            try {
                JsonNode existing = Json.MAPPER.readTree(Files.readAllBytes(file));
                existing.path("events").forEach(earlier::add);
                String createdAt = existing.path("metadata").path("created_at").textValue();
                if (createdAt != null) {
                    session = new SessionFile(sessionId, createdAt);
                }
            } catch (JsonProcessingException e) {
                Path aside = file.resolveSibling(file.getFileName() + ".unreadable-" + System.currentTimeMillis());
                LOG.warn("Session file {} is not valid JSON; moved it to {} and started afresh", file.getFileName(),
                        aside.getFileName());
                Files.move(file, aside, StandardCopyOption.ATOMIC_MOVE);
                earlier.clear();
            }
        }
        StringBuilder text = new StringBuilder(JSON_HEAD);
        for (JsonNode event : earlier) {
            text.append(session.eventsCount == 0 ? "\n" : ",\n").append(eventWriter.writeValueAsString(event));
            session.eventsCount++;
        }
        byte[] head = text.toString().getBytes(StandardCharsets.UTF_8);
        try (FileChannel channel = PrivateFiles.readWrite(file)) {
            writeAt(channel, 0, head, tail(session));
        }
        session.eventsEnd = head.length;
        return session;
    }

    /** Writes {@code events} then {@code tail} at {@code position} and cuts the file after them. */
    private static void writeAt(FileChannel channel, long position, byte[] events, byte[] tail) throws IOException {
        ByteBuffer out = ByteBuffer.allocate(events.length + tail.length).put(events).put(tail).flip();
        long at = position;
        while (out.hasRemaining()) {
            at += channel.write(out, at);
        }
        channel.truncate(at);
    }

    /** What follows the events: the closing bracket and, when asked for, the metadata. */
    private byte[] tail(SessionFile session) throws JsonProcessingException {
        if (!includeMetadata) {
            return "\n]}\n".getBytes(StandardCharsets.UTF_8);
        }
        ObjectNode metadata = Json.MAPPER.createObjectNode()
                .put("format", "json")
                .put("session_id", session.sessionId)
                .put("created_at", session.createdAt)
                .put("last_updated", Instant.now().toString())
                .put("events_count", session.eventsCount)
                .put("interceptor", INTERCEPTOR);
        return ("\n],\"metadata\":" + eventWriter.writeValueAsString(metadata) + "}\n").getBytes(StandardCharsets.UTF_8);
    }

    /** Where one session's json document stands. */
    private static final class SessionFile {
        final String sessionId;
        final String createdAt;
        long eventsCount;
        /** The offset just past the last event (or past {@code [} when there is none): where the next one goes. */
        long eventsEnd;

        SessionFile(String sessionId, String createdAt) {
            this.sessionId = sessionId;
            this.createdAt = createdAt;
        }
    }
}
