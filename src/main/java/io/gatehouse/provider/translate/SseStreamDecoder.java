package io.gatehouse.provider.translate;

import io.gatehouse.pipeline.SseEvent;
import io.gatehouse.pipeline.SseParser;
import io.vertx.core.buffer.Buffer;

import java.util.ArrayList;
import java.util.List;

/**
 * A decoder for a provider that streams SSE: the bytes go through one {@link SseParser}, each whole event to
 * {@link #onEvent}, and what that emits is handed out after each chunk. Subclasses say only what an event means and
 * what the stream still owes when the body ends.
 */
public abstract class SseStreamDecoder implements StreamDecoder {
    private final SseParser parser = new SseParser(this::onEvent);
    private List<StreamEvent> pending = new ArrayList<>();

    @Override
    public final List<StreamEvent> decode(Buffer chunk) {
        parser.feed(chunk);
        return drain();
    }

    @Override
    public final List<StreamEvent> finish() {
        parser.finish();
        onEnd();
        return drain();
    }

    /** One whole SSE event of the provider's. */
    protected abstract void onEvent(SseEvent event);

    /** The body ended (its last event already delivered): emit what the stream still owes, see {@link #finish}. */
    protected abstract void onEnd();

    protected final void emit(StreamEvent event) {
        pending.add(event);
    }

    private List<StreamEvent> drain() {
        if (pending.isEmpty()) {
            return List.of();
        }
        List<StreamEvent> drained = pending;
        pending = new ArrayList<>();
        return drained;
    }
}
