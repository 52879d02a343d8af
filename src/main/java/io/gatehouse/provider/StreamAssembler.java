package io.gatehouse.provider;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.pipeline.SseEvent;
import io.gatehouse.pipeline.SseListener;

/**
 * Turns a streamed response back into the body the same call would have returned unstreamed, while the
 * stream passes: {@code response.observeEvents(assembler)}, then read {@link #result()} when it has ended.
 * It keeps only the assembled state, never the raw events. One assembler per stream; not thread-safe.
 */
public interface StreamAssembler extends SseListener {

    /** Folds one event into the assembled state. Cheap, and never throws: bad or unknown events are skipped. */
    @Override
    void onEvent(SseEvent event);

    /**
     * The assembled unstreamed response body so far (a fresh tree on each call), or null when no usable
     * event arrived. A stream cut short still yields what it carried.
     */
    JsonNode result();

    /**
     * The error the stream carried, in the shape of the provider's unstreamed error body
     * ({@code {"error":{...}}} for OpenAI, {@code {"type":"error","error":{...}}} for Anthropic), or null.
     */
    JsonNode error();

    /** True once the stream's proper terminator arrived; false for a stream that was cut off. */
    boolean complete();
}
