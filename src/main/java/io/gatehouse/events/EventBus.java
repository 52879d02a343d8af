package io.gatehouse.events;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Hands every event to each subscriber, in the order they subscribed, on the thread that emitted it. Subscribing
 * is rare and publishing constant, so the subscriber list is copy-on-write: publishing takes no lock. A subscriber
 * that throws is logged and skipped, so one broken recorder cannot take the others or the call down with it.
 */
public final class EventBus implements EventSink {
    private static final Logger LOG = LoggerFactory.getLogger(EventBus.class);

    private final CopyOnWriteArrayList<EventSink> subscribers = new CopyOnWriteArrayList<>();

    /** Adds a subscriber; closing the returned handle removes it again. */
    public AutoCloseable subscribe(EventSink subscriber) {
        subscribers.add(subscriber);
        return () -> subscribers.remove(subscriber);
    }

    /** True when someone listens, so emitters can skip building events nobody reads. */
    public boolean hasSubscribers() {
        return !subscribers.isEmpty();
    }

    @Override
    public void accept(Event event) {
        for (EventSink subscriber : subscribers) {
            try {
                subscriber.accept(event);
            } catch (RuntimeException e) {
                LOG.warn("Event subscriber {} failed on {} {}", subscriber, event.name(), event.eventId(), e);
            }
        }
    }
}
