package io.gatehouse.provider.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;

import java.util.List;

/** Frames server-sent events and writes them out one by one without ever blocking the event loop. */
final class DemoSse {

    private DemoSse() {
    }

    /** An OpenAI-style event: a lone {@code data:} line. */
    static String data(JsonNode json) {
        return data(DemoExchange.toJson(json));
    }

    static String data(String payload) {
        return "data: " + payload + "\n\n";
    }

    /** An Anthropic-style event: an {@code event:} line naming it, then its {@code data:} line. */
    static String event(String name, JsonNode json) {
        return "event: " + name + "\n" + data(json);
    }

    static void stream(Vertx vertx, HttpServerResponse response, List<String> framedEvents, long gapMs) {
        response.setChunked(true);
        new Writer(vertx, response, framedEvents, gapMs).writeFrom(0);
    }

    private record Writer(Vertx vertx, HttpServerResponse response, List<String> events, long gapMs) {

        void writeFrom(int index) {
            int next = index;
            while (!response.closed()) {
                if (next == events.size()) {
                    response.end();
                    return;
                }
                response.write(events.get(next++));
                int resumeAt = next;
                if (gapMs > 0 && resumeAt < events.size()) {
                    vertx.setTimer(gapMs, id -> writeFrom(resumeAt));
                    return;
                }
                if (response.writeQueueFull()) {
                    response.drainHandler(ignored -> writeFrom(resumeAt));
                    return;
                }
            }
        }
    }
}
