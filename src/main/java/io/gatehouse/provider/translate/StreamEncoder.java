package io.gatehouse.provider.translate;

import io.vertx.core.buffer.Buffer;

/** Writes unified stream events as one client API's SSE. Holds the state of one stream; not shared. */
public interface StreamEncoder {

    /** The SSE bytes for this event, possibly empty (an event the API has no frame for). */
    Buffer encode(StreamEvent event);
}
