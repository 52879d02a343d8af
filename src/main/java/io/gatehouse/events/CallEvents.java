package io.gatehouse.events;

import java.util.ArrayList;
import java.util.List;

/**
 * The events of one call, for interceptors that act on them (the printer). The events interceptor leaves it in
 * the call attribute {@link #ATTRIBUTE} before the call goes upstream. An interceptor may start listening at any
 * point of the call, before or after the events interceptor ran: it is first handed what the call has emitted so
 * far, then each later event. Lives as long as its call, and is touched only on the call's event loop.
 */
public final class CallEvents {
    /** Call attribute: the call's {@code CallEvents}; absent on calls without a session. */
    public static final String ATTRIBUTE = "gatehouse.events.call-events";

    private final List<Event> emitted = new ArrayList<>(4);
    private final List<EventSink> listeners = new ArrayList<>(1);

    /** Hands {@code listener} the call's events so far, in order, then each one emitted later. */
    public void listen(EventSink listener) {
        emitted.forEach(listener::accept);
        listeners.add(listener);
    }

    void add(Event event) {
        emitted.add(event);
        listeners.forEach(listener -> listener.accept(event));
    }
}
