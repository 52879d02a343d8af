package io.gatehouse.pipeline;

import io.vertx.core.buffer.Buffer;

/** Rewrites a response body chunk by chunk, as it streams. */
public interface ChunkTransformer {

    /** Returns what to send in place of this chunk; an empty buffer sends nothing now. */
    Buffer transform(Buffer chunk);

    /** Called once after the last chunk; returns bytes to send before the body ends, or null. */
    default Buffer finish() {
        return null;
    }
}
