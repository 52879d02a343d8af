package io.gatehouse.pipeline;

import io.vertx.core.buffer.Buffer;

/** Sees each response body chunk as it passes. It must not keep or change the buffer. */
@FunctionalInterface
public interface ChunkObserver {
    void onChunk(Buffer chunk);
}
