package io.gatehouse.recording;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The http_recorder's files: {@code recording_NNN.jsonl} (001 first, three digits or more), a new one after
 * {@code maxRecordsPerFile} records. On start it resumes the highest-numbered file when that has room.
 */
final class RotatingRecordingFiles implements RecordSink<LineRecord> {
    private static final Pattern NAME = Pattern.compile("recording_(\\d{3,})\\.jsonl");

    private final Path directory;
    private final long maxRecordsPerFile;
    private JsonLinesFile current;
    private int number;
    private long recordsInCurrent;

    RotatingRecordingFiles(Path directory, long maxRecordsPerFile) throws IOException {
        this.directory = PrivateFiles.directory(directory);
        this.maxRecordsPerFile = maxRecordsPerFile;
        this.number = highestNumber(directory);
    }

    static String fileName(int number) {
        return String.format("recording_%03d.jsonl", number);
    }

    @Override
    public void write(LineRecord record) throws IOException {
        if (current == null) {
            openCurrent();
        } else if (recordsInCurrent >= maxRecordsPerFile) {
            current.close();
            number++;
            open(0);
        }
        current.write(record.render());
        recordsInCurrent++;
    }

    @Override
    public void flush() throws IOException {
        if (current != null) {
            current.flush();
        }
    }

    @Override
    public void close() throws IOException {
        if (current != null) {
            current.close();
        }
    }

    /** The highest-numbered file when it has room, else the next number. */
    private void openCurrent() throws IOException {
        if (number > 0) {
            long lines = JsonLinesFile.countLines(directory.resolve(fileName(number)));
            if (lines < maxRecordsPerFile) {
                open(lines);
                return;
            }
        }
        number++;
        open(0);
    }

    private void open(long existingRecords) throws IOException {
        current = new JsonLinesFile(directory.resolve(fileName(number)));
        recordsInCurrent = existingRecords;
    }

    private static int highestNumber(Path directory) throws IOException {
        int highest = 0;
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Matcher matcher = NAME.matcher(file.getFileName().toString());
                if (matcher.matches()) {
                    highest = Math.max(highest, Integer.parseInt(matcher.group(1)));
                }
            }
        }
        return highest;
    }
}
