package io.gatehouse.recording;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.gatehouse.pipeline.Json;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One JSON-lines file, opened for appending (created 0600): one JSON value per line, UTF-8, {@code \n} after each.
 * A file whose last line was cut short (the process was killed mid-write) gets a line break first, so that the
 * cut line stays the only unreadable one.
 */
final class JsonLinesFile implements AutoCloseable {
    private static final int BUFFER_BYTES = 64 * 1024;
    /** Leaves the file's buffer to {@link #flush()}: neither a line written nor its generator closing flushes it. */
    private static final ObjectWriter LINE_WRITER = Json.MAPPER.writer()
            .without(SerializationFeature.FLUSH_AFTER_WRITE_VALUE)
            .without(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
            .without(JsonGenerator.Feature.FLUSH_PASSED_TO_STREAM);

    private final FileChannel channel;
    private final OutputStream out;

    JsonLinesFile(Path path) throws IOException {
        boolean cutShort = endsMidLine(path);
        this.channel = PrivateFiles.append(path);
        this.out = new BufferedOutputStream(Channels.newOutputStream(channel), BUFFER_BYTES);
        if (cutShort) {
            out.write('\n');
        }
    }

    /** Serialises straight into the file's buffer, with no byte array per line in between. */
    void write(Object value) throws IOException {
        try (JsonGenerator generator = LINE_WRITER.createGenerator(out)) {
            LINE_WRITER.writeValue(generator, value);
        }
        out.write('\n');
    }

    void flush() throws IOException {
        out.flush();
    }

    /** Flushes, forces the file to the disk and closes it. */
    @Override
    public void close() throws IOException {
        try (channel) {
            out.flush();
            channel.force(true);
        }
    }

    /** Lines in an existing file: its line breaks, plus one for a last line without a break. */
    static long countLines(Path path) throws IOException {
        long lines = 0;
        int last = '\n';
        try (InputStream in = Files.newInputStream(path)) {
            byte[] buffer = new byte[BUFFER_BYTES];
            for (int read; (read = in.read(buffer)) > 0; ) {
                for (int i = 0; i < read; i++) {
                    if (buffer[i] == '\n') {
                        lines++;
                    }
                }
                last = buffer[read - 1];
            }
        }
        return last == '\n' ? lines : lines + 1;
    }

    /** True when the file exists and its last byte is not a line break. */
    private static boolean endsMidLine(Path path) throws IOException {
        if (!Files.exists(path)) {
            return false;
        }
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size == 0) {
                return false;
            }
            ByteBuffer last = ByteBuffer.allocate(1);
            channel.read(last, size - 1);
            return last.get(0) != '\n';
        }
    }
}
