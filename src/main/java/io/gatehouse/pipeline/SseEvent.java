package io.gatehouse.pipeline;

/**
 * One server-sent event as the SSE specification defines it.
 *
 * @param event the {@code event:} field, or null when absent (the spec's default "message")
 * @param data  the {@code data:} lines joined by newlines
 * @param id    the {@code id:} field, or null
 */
public record SseEvent(String event, String data, String id) {
}
