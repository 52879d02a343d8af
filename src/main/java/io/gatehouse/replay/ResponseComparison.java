package io.gatehouse.replay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.gatehouse.pipeline.Json;
import io.gatehouse.pipeline.SseEvent;
import io.gatehouse.pipeline.SseParser;
import io.gatehouse.provider.StreamAssembler;
import io.gatehouse.provider.StreamAssemblers;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Compares a live response with the recorded one: the status, then the body by what it means rather than its bytes.
 * JSON bodies are diffed structurally; streams are first assembled into the body the same call would have returned
 * unstreamed, so a stream cut into other chunks, or with other ids in every event, still matches.
 */
final class ResponseComparison {
    private final JsonDiff diff;

    ResponseComparison(JsonDiff diff) {
        this.diff = diff;
    }

    /** How a body is compared: assembled stream, JSON, or raw bytes. */
    private enum Kind { STREAM, JSON, RAW, EMPTY }

    private record Body(Kind kind, JsonNode json, byte[] bytes, Boolean streamComplete) {
        String describe() {
            return switch (kind) {
                case STREAM -> "an event stream";
                case JSON -> "a JSON body";
                case RAW -> "a " + bytes.length + "-byte body";
                case EMPTY -> "no body";
            };
        }
    }

    /** The differences, none when the live response matches; the recorded call must have a response. */
    List<Difference> compare(RecordedCall call, LiveResponse live) {
        RecordedResponse recorded = call.response();
        List<Difference> differences = new ArrayList<>();
        if (recorded.status() != live.status()) {
            differences.add(new Difference("status", String.valueOf(recorded.status()), String.valueOf(live.status())));
        }
        if (recorded.body().truncated()) {
            return differences; // The recorder kept no body to compare with.
        }
        String type = ReplayRoutes.inferType(call.request().provider(), ReplayRoutes.upstreamPath(call.request()),
                call.request().headers());
        String path = ReplayRoutes.upstreamPath(call.request());
        Body was = recordedBody(recorded, type, path);
        Body now = liveBody(live, type, path);
        if (was.kind() != now.kind()) {
            differences.add(new Difference("body", was.describe(), now.describe()));
            return differences;
        }
        switch (was.kind()) {
            case STREAM, JSON -> {
                differences.addAll(diff.compare(was.json(), now.json()));
                if (was.kind() == Kind.STREAM && !was.streamComplete().equals(now.streamComplete())) {
                    differences.add(new Difference("stream", completeness(was), completeness(now)));
                }
            }
            case RAW -> {
                if (!Arrays.equals(was.bytes(), now.bytes())) {
                    differences.add(new Difference("body", preview(was.bytes()), preview(now.bytes())));
                }
            }
            case EMPTY -> {
                // Nothing to compare.
            }
        }
        return differences;
    }

    private static Body recordedBody(RecordedResponse recorded, String type, String path) {
        RecordedBody body = recorded.body();
        String sse = body.text();
        if (recorded.isEventStream() && sse != null) {
            return stream(sse, type, path);
        }
        if ("json".equals(body.type()) && body.content() != null) {
            return new Body(Kind.JSON, body.content(), null, null);
        }
        byte[] bytes = body.bytes();
        return bytes.length == 0 ? new Body(Kind.EMPTY, null, bytes, null) : parsedOrRaw(bytes);
    }

    private static Body liveBody(LiveResponse live, String type, String path) {
        if (live.isEventStream()) {
            return stream(live.text(), type, path);
        }
        return live.body().length == 0 ? new Body(Kind.EMPTY, null, live.body(), null) : parsedOrRaw(live.body());
    }

    private static Body parsedOrRaw(byte[] bytes) {
        try {
            JsonNode json = Json.MAPPER.readTree(bytes);
            if (json != null && json.isContainerNode()) {
                return new Body(Kind.JSON, json, bytes, null);
            }
        } catch (IOException | RuntimeException notJson) {
            // Text or binary: compared byte for byte below.
        }
        return new Body(Kind.RAW, null, bytes, null);
    }

    /**
     * The stream as the unstreamed body (or the error it carried) when the route is one the gateway assembles;
     * otherwise the list of its events' data, each parsed as JSON where it is.
     */
    private static Body stream(String sse, String type, String path) {
        StreamAssembler assembler = StreamAssemblers.forRequest(type, path);
        if (assembler != null) {
            feed(sse, assembler::onEvent);
            JsonNode assembled = assembler.error() != null ? assembler.error() : assembler.result();
            return new Body(Kind.STREAM, assembled == null ? Json.MAPPER.createObjectNode() : assembled, null,
                    assembler.complete());
        }
        ArrayNode events = Json.MAPPER.createArrayNode();
        feed(sse, event -> {
            try {
                events.add(Json.MAPPER.readTree(event.data()));
            } catch (JsonProcessingException notJson) {
                events.add(event.data());
            }
        });
        return new Body(Kind.STREAM, events, null, true);
    }

    private static void feed(String sse, Consumer<SseEvent> sink) {
        SseParser parser = new SseParser(sink);
        parser.feed(Buffer.buffer(sse.getBytes(StandardCharsets.UTF_8)));
        parser.finish();
    }

    private static String completeness(Body stream) {
        return stream.streamComplete() ? "complete" : "cut off";
    }

    private static String preview(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        return JsonDiff.render(Json.MAPPER.getNodeFactory().textNode(text));
    }
}
