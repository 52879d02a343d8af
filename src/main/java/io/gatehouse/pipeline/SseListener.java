package io.gatehouse.pipeline;

/** Sees each server-sent event of a streamed response as it passes. */
@FunctionalInterface
public interface SseListener {
    void onEvent(SseEvent event);
}
