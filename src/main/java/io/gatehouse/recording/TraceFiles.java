package io.gatehouse.recording;

import com.fasterxml.jackson.databind.ObjectWriter;
import io.gatehouse.pipeline.Json;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * The trace recorder's files: {@code {directory}/trace-{timestamp}-{request id}.json}, one per call, pretty-printed,
 * 0600. The seed named them by timestamp alone, so two calls in one millisecond overwrote each other; the request
 * id keeps every call's file.
 *
 * <p>Each file is complete when written and handed to the operating system, so the gateway exiting, cleanly or not,
 * loses none. They are not forced to the disk one by one: at thousands of calls a second that would cost more than
 * everything else the gateway does; like any log file, only an operating-system crash can lose the newest.
 */
final class TraceFiles implements RecordSink<TraceFiles.Trace> {
    /** One call's trace: the name parts, and the JSON rendered on the writer thread. */
    record Trace(String timestamp, String requestId, LineRecord json) {
    }

    private static final Pattern UNSAFE_NAME_CHARACTERS = Pattern.compile("[^A-Za-z0-9_-]");

    private final Path directory;
    private final ObjectWriter writer = Json.MAPPER.writerWithDefaultPrettyPrinter();

    TraceFiles(Path directory) throws IOException {
        this.directory = PrivateFiles.directory(directory);
    }

    static String fileName(String timestamp, String requestId) {
        return "trace-" + timestamp.replace(":", "").replace("-", "") + "-"
                + UNSAFE_NAME_CHARACTERS.matcher(requestId).replaceAll("") + ".json";
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
    }

    @Override
    public void flush() {
        // Every file was closed when written: nothing is buffered here.
    }

    @Override
    public void close() {
        // As flush: each trace file is closed as soon as it is written.
    }
}
