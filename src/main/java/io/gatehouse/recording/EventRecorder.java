package io.gatehouse.recording;

import io.gatehouse.events.Event;
import io.gatehouse.events.EventSink;

/**
 * The seed's event recorder: every event the gateway emits, in one file per session ({@link SessionEventFiles}).
 * It listens on the gateway's event bus, so it is no interceptor: it sees every event whatever runs in the chain.
 * Taking an event is one non-blocking queue offer on the emitting thread.
 */
public final class EventRecorder implements EventSink {
    public static final String TYPE = "event_recorder";

    private final AsyncRecordWriter<Event> writer;

    EventRecorder(AsyncRecordWriter<Event> writer) {
        this.writer = writer;
    }

    @Override
    public void accept(Event event) {
        writer.offer(event);
    }

    @Override
    public String toString() {
        return TYPE;
    }
}
