package io.gatehouse.recording;

import java.io.IOException;
import java.nio.file.Path;

/** The message logger's one JSON-lines file, appended to across restarts and opened on its first record. */
final class AppendingLinesFile implements RecordSink<LineRecord> {
    private final Path path;
    private JsonLinesFile file;

    AppendingLinesFile(Path directory, String fileName) throws IOException {
        this.path = PrivateFiles.directory(directory).resolve(fileName);
    }

    @Override
    public void write(LineRecord record) throws IOException {
        if (file == null) {
            file = new JsonLinesFile(path);
        }
        file.write(record.render());
    }

    @Override
    public void flush() throws IOException {
        if (file != null) {
            file.flush();
        }
    }

    @Override
    public void close() throws IOException {
        if (file != null) {
            file.close();
        }
    }
}
