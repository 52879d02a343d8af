package io.gatehouse.provider;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.pipeline.Call;
import io.gatehouse.pipeline.Json;
import io.gatehouse.pipeline.ProxyResponse;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;

/**
 * A call's response as the body it amounts to: a stream of a known API assembled as it passes ({@link StreamAssembler}),
 * a plain body kept up to {@link #MAX_KEPT_BODY_BYTES} and parsed once. Interceptors that read what a response said
 * (events, cost) share one capture per response through a call attribute, so the response is assembled and parsed
 * once however many read it, as long as every one of them sees the same bytes: when a transformer stands in the
 * response's pipeline, each reader watches for itself. Touched only on the call's event loop.
 */
public final class ResponseCapture {
    /** Plain bodies are kept up to this size; a larger one is not parsed. */
    public static final int MAX_KEPT_BODY_BYTES = 4 * 1024 * 1024;
    private static final String ATTRIBUTE = "gatehouse.provider.response-capture";

    private final ProxyResponse response;
    private final StreamAssembler assembler;
    /** The plain body so far; null for a stream, or once it grew past {@link #MAX_KEPT_BODY_BYTES}. */
    private Buffer plainBody;
    private JsonNode parsedPlainBody;
    private boolean plainBodyParsed;

    private ResponseCapture(ProxyResponse response, String providerType, String path) {
        this.response = response;
        if (response.isEventStream()) {
            assembler = StreamAssemblers.forRequest(providerType, path);
            if (assembler != null) {
                response.observeEvents(assembler);
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
        ResponseCapture existing = call.attribute(ATTRIBUTE);
        if (existing != null && existing.response == response && !response.pipeline().transforms()) {
            return existing;
        }
        ResponseCapture capture = new ResponseCapture(response, providerType, path);
        call.attribute(ATTRIBUTE, capture);
        return capture;
    }

    /** The stream's assembler; null for a plain body, or a stream of an API the gateway does not assemble. */
    public StreamAssembler assembler() {
        return assembler;
    }

    /**
     * The unstreamed body: the stream assembled so far, or the plain body parsed (once) when it is a JSON object;
     * null when unknown (not JSON, too large, or a stream of an unknown API). Read it once the response has ended.
     */
    public JsonNode body() {
        if (assembler != null) {
            return assembler.result();
        }
        if (!plainBodyParsed) {
            plainBodyParsed = true;
            parsedPlainBody = parse(plainBody);
            plainBody = null;
        }
        return parsedPlainBody;
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
