package io.gatehouse.provider;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.pipeline.Call;
import io.gatehouse.pipeline.Json;
import io.gatehouse.pipeline.ProxyResponse;
import io.gatehouse.pipeline.SseEvent;
import io.gatehouse.provider.openai.ChatCompletionStreamAssembler;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A call's response as the body it amounts to: a stream of a known API assembled as it passes ({@link StreamAssembler}),
 * a plain body kept up to {@link #MAX_KEPT_BODY_BYTES} and parsed once. Interceptors that read what a response said
 * (events, cost) share one capture per response through a call attribute, so the response is assembled and parsed
 * once however many read it (events, cost, the message logger), as long as every one of them sees the same bytes: when a transformer stands in the
 * response's pipeline, each reader watches for itself. Touched only on the call's event loop.
 */
public final class ResponseCapture {
    /** Plain bodies are kept up to this size; a larger one is not parsed. */
    public static final int MAX_KEPT_BODY_BYTES = 4 * 1024 * 1024;
    private static final String ATTRIBUTE = "gatehouse.provider.response-capture";

    /**
     * A stream's events are held back unassembled only while the stream is young: up to this many characters, and
     * for up to {@link #HOLD_NANOS} after its head. A short, fast stream, the common case under load, ends within
     * both and is never parsed; a long or slow one is assembled from then on as its events pass, so a stream held
     * open keeps its assembled state (the text so far), not every raw event it sent. Parsing the events of a slow
     * stream costs next to nothing: they come at the pace the model writes.
     */
    static final int MAX_HELD_CHARS = 16 * 1024;
    static final long HOLD_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final ProxyResponse response;
    private final StreamAssembler assembler;
    private final LongSupplier nanoClock;
    private final long startedNanos;
    /**
     * A stream's events not yet given to its assembler, or null once it assembles as they pass. Assembling parses
     * every event; a reader that needs only the usage of a finished OpenAI chat stream
     * ({@link #completedStreamUsageChunk}) is spared that, and a reader that needs more asks for the assembler.
     */
    private List<SseEvent> heldEvents;
    private int heldChars;
    /** The plain body so far; null for a stream, or once it grew past {@link #MAX_KEPT_BODY_BYTES}. */
    private Buffer plainBody;
    private JsonNode parsedPlainBody;
    private boolean plainBodyParsed;

    private ResponseCapture(ProxyResponse response, String providerType, String path, LongSupplier nanoClock) {
        this.response = response;
        this.nanoClock = nanoClock;
        this.startedNanos = nanoClock.getAsLong();
        if (response.isEventStream()) {
            assembler = StreamAssemblers.forRequest(providerType, path);
            if (assembler != null) {
                heldEvents = new ArrayList<>();
                response.observeEvents(this::onEvent);
            }
            return;
        }
        assembler = null;
        plainBody = Buffer.buffer();
        response.observeChunks(chunk -> {
            if (plainBody == null) {
                return;
            }
            if (plainBody.length() + chunk.length() > MAX_KEPT_BODY_BYTES) {
                plainBody = null;
            } else {
                plainBody.appendBuffer(chunk);
            }
        });
    }

    /**
     * The capture of {@code response}: the one another interceptor of the call already put on it, when nothing can
     * have changed its bytes in between; else a new one, watching from here on.
     *
     * @param providerType the upstream's wire format ({@code openai}, {@code anthropic})
     * @param path         the request path, which tells the streaming API
     */
    public static ResponseCapture watch(Call call, ProxyResponse response, String providerType, String path) {
        return watch(call, response, providerType, path, System::nanoTime);
    }

    /** {@link #watch(Call, ProxyResponse, String, String)} on the clock given, which tells how young a stream is. */
    static ResponseCapture watch(Call call, ProxyResponse response, String providerType, String path, LongSupplier nanoClock) {
        ResponseCapture existing = call.attribute(ATTRIBUTE);
        if (existing != null && existing.response == response && !response.pipeline().transforms()) {
            return existing;
        }
        ResponseCapture capture = new ResponseCapture(response, providerType, path, nanoClock);
        call.attribute(ATTRIBUTE, capture);
        return capture;
    }

    private void onEvent(SseEvent event) {
        if (heldEvents == null) {
            assembler.onEvent(event);
            return;
        }
        heldEvents.add(event);
        heldChars += event.data().length();
        if (heldChars > MAX_HELD_CHARS || nanoClock.getAsLong() - startedNanos > HOLD_NANOS) {
            assembleHeldEvents();
        }
    }

    /** From here on the assembler sees every event as it passes, after those held so far. */
    private void assembleHeldEvents() {
        if (heldEvents != null) {
            List<SseEvent> held = heldEvents;
            heldEvents = null;
            held.forEach(assembler::onEvent);
        }
    }

    /** Whether this is a stream the gateway assembles, so that {@link #body()} will be its unstreamed body. */
    public boolean assemblesStream() {
        return assembler != null;
    }

    /**
     * The stream's assembler, which has then seen every event so far and sees each later one as it passes; null for
     * a plain body, or a stream of an API the gateway does not assemble.
     */
    public StreamAssembler assembler() {
        if (assembler != null) {
            assembleHeldEvents();
        }
        return assembler;
    }

    /**
     * The final chunk of an OpenAI chat stream that ended with {@code [DONE]} and reported its usage (the client asked
     * for {@code stream_options.include_usage}), parsed alone; null for anything else, and once the stream is being
     * assembled anyway. What the cost of a call needs, without parsing the stream's other events.
     */
    public JsonNode completedStreamUsageChunk() {
        if (heldEvents == null || heldEvents.isEmpty() || !(assembler instanceof ChatCompletionStreamAssembler)
                || !heldEvents.getLast().data().strip().equals("[DONE]")) {
            return null;
        }
        // The usage chunk comes last before [DONE]; a chunk without usage, or with "usage":null, does not count.
        for (int i = heldEvents.size() - 2; i >= Math.max(0, heldEvents.size() - 3); i--) {
            String data = heldEvents.get(i).data();
            if (data.contains("\"usage\"")) {
                JsonNode chunk = parse(data);
                if (chunk != null && chunk.path("usage").isObject()) {
                    return chunk;
                }
            }
        }
        return null;
    }

    /**
     * The plain body's {@code model} and {@code usage} alone, read with a streaming parser that builds nothing of the
     * rest (the whole parsed body when a reader already asked for it): what the cost of a call needs. Null for a
     * stream, and for a body that is not a whole JSON object.
     */
    public JsonNode plainBodyUsage() {
        if (plainBodyParsed || assembler != null || response.isEventStream()) {
            return plainBodyParsed ? parsedPlainBody : null;
        }
        if (plainBody == null || plainBody.length() == 0) {
            return null;
        }
        try (JsonParser json = Json.MAPPER.createParser(plainBody.getBytes())) {
            if (json.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            ObjectNode usage = Json.MAPPER.createObjectNode();
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String field = json.currentName();
                JsonToken value = json.nextToken();
                if (field.equals("model") && value == JsonToken.VALUE_STRING) {
                    // Not through readValueAsTree: each use of it costs a deserialization context.
                    usage.put(field, json.getText());
                } else if (field.equals("model") || field.equals("usage")) {
                    usage.set(field, json.readValueAsTree());
                } else {
                    json.skipChildren();
                }
            }
            // The whole document is read, so a body cut short is no more trusted here than by body().
            return json.nextToken() == null ? usage : null;
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * The unstreamed body: the stream assembled so far, or the plain body parsed (once) when it is a JSON object;
     * null when unknown (not JSON, too large, or a stream of an unknown API). Read it once the response has ended.
     */
    public JsonNode body() {
        if (assembler != null) {
            assembleHeldEvents();
            return assembler.result();
        }
        if (!plainBodyParsed) {
            plainBodyParsed = true;
            parsedPlainBody = parse(plainBody);
            plainBody = null;
        }
        return parsedPlainBody;
    }

    private static JsonNode parse(String json) {
        try {
            JsonNode node = Json.MAPPER.readTree(json);
            return node != null && node.isObject() ? node : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static JsonNode parse(Buffer body) {
        if (body == null || body.length() == 0) {
            return null;
        }
        try {
            JsonNode json = Json.MAPPER.readTree(body.getBytes());
            return json.isObject() ? json : null;
        } catch (IOException e) {
            return null; // Not JSON (an HTML error page, say).
        }
    }
}
