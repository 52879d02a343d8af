package io.gatehouse.recording;

import io.vertx.core.buffer.Buffer;

/**
 * A copy of a response body as it streams past, up to a limit; beyond it only the size is counted. Filled on the
 * call's event loop, then handed (and no longer touched) to a writer thread through the record queue.
 */
final class BodyCapture {
    private final long limit;
    private Buffer bytes = Buffer.buffer();
    private long size;

    BodyCapture(long limit) {
        this.limit = limit;
    }

    /** Copies the chunk: chunks belong to the response pipeline and must not be kept. */
    void append(Buffer chunk) {
        size += chunk.length();
        if (bytes != null && size <= limit) {
            bytes.appendBuffer(chunk);
        } else {
            bytes = null;
        }
    }

    long size() {
        return size;
    }

    boolean truncated() {
        return bytes == null;
    }

    /** The bytes captured, or null when the body outgrew the limit. */
    Buffer bytes() {
        return bytes;
    }
}
