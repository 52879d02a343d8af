package io.gatehouse.provider.translate;

import io.vertx.core.buffer.Buffer;

import java.util.List;

/**
 * Turns one provider's streamed body, chunk by chunk as the bytes arrive (SSE, or AWS event-stream frames), into
 * unified {@link StreamEvent}s. Holds the state of one stream; not shared.
 */
public interface StreamDecoder {

    /** The events completed by these bytes, possibly none; a frame split across chunks is kept until whole. */
    List<StreamEvent> decode(Buffer chunk);

    /**
     * The body ended. Returns what the stream still owes: when the upstream ended cleanly it has already emitted
     * {@link StreamEvent.Finish} and {@link StreamEvent.End}; when it stopped without finishing, an
     * {@link StreamEvent.Error} saying so.
     */
    List<StreamEvent> finish();
}
