package io.gatehouse.replay;

import java.nio.file.Path;
import java.util.List;

/**
 * Recorded traffic read from {@code http_recorder} files: every call paired by request id, in the order the calls
 * started, and what could not be read or paired.
 *
 * @param problems one {@code file:line: reason} per record that was skipped
 */
public record Recording(List<Path> files, List<RecordedCall> calls, List<String> problems) {

    public Recording {
        files = List.copyOf(files);
        calls = List.copyOf(calls);
        problems = List.copyOf(problems);
    }

    /** Reads a {@code .jsonl} file, or a directory's {@code recording_NNN.jsonl} files in numeric order. */
    public static Recording read(Path fileOrDirectory) {
        return RecordingReader.read(fileOrDirectory);
    }

    public int size() {
        return calls.size();
    }

    /** Requests with neither a response nor an error record. */
    public long unpairedCount() {
        return calls.stream().filter(RecordedCall::isUnpaired).count();
    }
}
