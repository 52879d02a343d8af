package io.gatehouse.events;

/**
 * Takes events as they happen. Called on event-loop threads, often several at once, so an implementation must be
 * thread-safe and must never block: anything slow (files, network) goes through a bounded queue to a worker.
 */
@FunctionalInterface
public interface EventSink {
    void accept(Event event);
}
