package io.gatehouse.recording;

import com.fasterxml.jackson.databind.ObjectWriter;
import io.gatehouse.pipeline.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The trace recorder's files: {@code {directory}/trace-{timestamp}-{request id}.json}, one per call, pretty-printed,
 * 0600. The seed named them by timestamp alone, so two calls in one millisecond overwrote each other; the request
 * id keeps every call's file.
 */
final class TraceFiles implements RecordSink<TraceFiles.Trace> {
    private static final Logger LOG = LoggerFactory.getLogger(TraceFiles.class);
    private static final int MAX_UNSYNCED_FILES = 1024;

    /** One call's trace: the name parts, and the JSON rendered on the writer thread. */
    record Trace(String timestamp, String requestId, LineRecord json) {
    }

    private final Path directory;
    private final ObjectWriter writer = Json.MAPPER.writerWithDefaultPrettyPrinter();
    private final Set<Path> unsynced = new LinkedHashSet<>();

    TraceFiles(Path directory) throws IOException {
        this.directory = PrivateFiles.directory(directory);
    }

    static String fileName(String timestamp, String requestId) {
        return "trace-" + timestamp.replace(":", "").replace("-", "") + "-" + requestId.replaceAll("[^A-Za-z0-9_-]", "") + ".json";
    }

    @Override
    public void write(Trace trace) throws IOException {
        Path file = directory.resolve(fileName(trace.timestamp(), trace.requestId()));
        byte[] bytes = writer.writeValueAsBytes(trace.json().render());
        try (FileChannel channel = PrivateFiles.createNew(file)) {
            ByteBuffer out = ByteBuffer.wrap(bytes);
            while (out.hasRemaining()) {
                channel.write(out);
            }
        } catch (FileAlreadyExistsException e) {
            throw new IOException("trace file " + file.getFileName() + " already exists", e);
        }
        unsynced.add(file);
    }

    @Override
    public void flush() {
        if (unsynced.size() >= MAX_UNSYNCED_FILES) {
            syncAll();
        }
    }

    @Override
    public void close() {
        syncAll();
    }

    private void syncAll() {
        for (Path file : unsynced) {
            try {
                PrivateFiles.sync(file);
            } catch (IOException e) {
                LOG.warn("Could not sync {}: {}", file.getFileName(), e.toString());
            }
        }
        unsynced.clear();
    }
}
