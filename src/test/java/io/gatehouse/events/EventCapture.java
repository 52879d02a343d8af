package io.gatehouse.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.pipeline.Json;
import io.gatehouse.testing.TestGateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Collects every event a test gateway emits, and reads the golden transcripts the fake upstream replays. */
final class EventCapture implements EventSink {
    private final List<Event> events = new CopyOnWriteArrayList<>();

    static EventCapture on(TestGateway.Running gateway) {
        EventCapture capture = new EventCapture();
        gateway.gateway().events().subscribe(capture);
        return capture;
    }

    @Override
    public void accept(Event event) {
        events.add(event);
    }

    List<Event> all() {
        return List.copyOf(events);
    }

    List<String> names() {
        return events.stream().map(Event::name).toList();
    }

    /** Waits until exactly these events, in this order, have been emitted, and returns them. */
    List<Event> awaitNames(String... expected) {
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(names()).containsExactly(expected));
        return all();
    }

    /** Waits until the events emitted since {@code from} are exactly these, and returns those. */
    List<Event> awaitNamesFrom(int from, String... expected) {
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(names().subList(Math.min(from, names().size()), names().size())).containsExactly(expected));
        List<Event> all = all();
        return all.subList(from, all.size());
    }

    int size() {
        return events.size();
    }

    static Event named(List<Event> events, String name) {
        return events.stream().filter(event -> event.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " among " + events));
    }

    static List<Event> allNamed(List<Event> events, String name) {
        return events.stream().filter(event -> event.name().equals(name)).toList();
    }

    /** The attributes without what differs between two runs of the same call (its duration and session). */
    static ObjectNode comparable(Event event) {
        ObjectNode attributes = event.attributes().deepCopy();
        attributes.remove(List.of("llm.response.duration_ms", "session.id"));
        return attributes;
    }

    static String golden(String api, String file) {
        try (InputStream in = EventCapture.class.getClassLoader().getResourceAsStream("golden/" + api + "/" + file)) {
            assertThat(in).as("golden/%s/%s", api, file).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode goldenJson(String api, String file) {
        try {
            return Json.MAPPER.readTree(golden(api, file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A golden stream as the events the upstream writes one at a time, each with its blank-line terminator. */
    static List<String> goldenEvents(String api, String name) {
        return Arrays.stream(golden(api, name + ".sse").split("(?<=\n\n)")).toList();
    }

    static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
