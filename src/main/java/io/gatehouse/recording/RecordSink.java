package io.gatehouse.recording;

import java.io.IOException;

/**
 * Where an {@link AsyncRecordWriter} puts its records. Only the writer's own thread calls it, one call at a time,
 * so an implementation needs no locks and may block on files as long as it likes.
 */
public interface RecordSink<R> {

    /** Serialises one record into the sink's buffers; it need not reach the file before {@link #flush()}. */
    void write(R record) throws IOException;

    /** Hands everything written so far to the operating system. Called after every batch. */
    void flush() throws IOException;

    /** Flushes, forces what was written to the disk, and releases the files. Called once, last. */
    void close() throws IOException;
}
