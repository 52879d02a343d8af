package io.gatehouse.recording;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.pipeline.Call;
import io.gatehouse.pipeline.CallEnd;
import io.gatehouse.pipeline.CallOutcome;
import io.gatehouse.pipeline.Chain;
import io.gatehouse.pipeline.Interceptor;
import io.gatehouse.pipeline.Json;
import io.gatehouse.pipeline.ProxyRequest;
import io.gatehouse.pipeline.ProxyResponse;
import io.gatehouse.provider.ResponseCapture;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

import java.time.Instant;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The seed's message log: one JSON line per request, per response and per error in {@code {directory}/{filename}}.
 * A streamed response is logged as the body the same call would have returned unstreamed (assembled from its events,
 * in the one assembly the call's readers share), so the log reads the same either way. With
 * {@code redact_credentials} every string value has the seed's credential patterns replaced by {@code [REDACTED]};
 * registered keys are masked regardless.
 */
public final class MessageLogger implements Interceptor {
    public static final String TYPE = "message_logger";
    /** A plain response body larger than this is logged as a truncation marker instead of its content. */
    static final int MAX_LOGGED_BODY_BYTES = 16 * 1024 * 1024;
    private static final String STATE = "gatehouse.recording.messages";
    private static final Set<String> SYSTEM_ROLES = Set.of("system", "developer");

    private final AsyncRecordWriter<LineRecord> writer;
    private final boolean includeMetadata;
    private final boolean includeSystemPrompts;
    private final UnaryOperator<String> redact;

    MessageLogger(AsyncRecordWriter<LineRecord> writer, boolean includeMetadata, boolean redactCredentials,
                  boolean includeSystemPrompts) {
        this.writer = writer;
        this.includeMetadata = includeMetadata;
        this.includeSystemPrompts = includeSystemPrompts;
        this.redact = redactCredentials ? Redaction::credentials : Redaction::secrets;
    }

    @Override
    public String name() {
        return TYPE;
    }

    @Override
    public Future<ProxyResponse> intercept(Chain chain) {
        Call call = chain.call();
        ProxyRequest request = chain.request();
        CallState state = new CallState(call, request);
        call.attribute(STATE, state);
        writer.offer(requestLine(state, request));
        return chain.proceed(request).map(response -> {
            state.observe(call, response);
            return response;
        });
    }

    @Override
    public void onCallEnd(CallEnd end) {
        CallState state = end.call().attribute(STATE);
        if (state == null) {
            return;
        }
        if (state.responded && end.status() != 0) {
            writer.offer(responseLine(state, end));
        }
        if (end.outcome() != CallOutcome.COMPLETED) {
            writer.offer(errorLine(state, end));
        }
    }

    private LineRecord requestLine(CallState state, ProxyRequest request) {
        String timestamp = Instant.now().toString();
        JsonNode json = request.json();
        Buffer body = json == null ? request.body() : null;
        String method = request.method().name();
        String path = request.path();
        boolean streaming = request.wantsStream();
        return () -> {
            ObjectNode line = state.line(timestamp, "request");
            line.set("request", json != null ? Redaction.strings(withoutSystemPrompts(json), redact) : text(body));
            line.put("model", state.model).put("provider", state.provider);
            if (includeMetadata) {
                line.putObject("metadata").put("path", path).put("method", method).put("is_streaming", streaming);
            }
            return line;
        };
    }

    private LineRecord responseLine(CallState state, CallEnd end) {
        String timestamp = Instant.now().toString();
        int status = end.status();
        double durationMs = end.durationNanos() / 1e6;
        JsonNode assembled = state.stream == null ? null : state.stream.body();
        BodyCapture plain = state.plain;
        return () -> {
            ObjectNode line = state.line(timestamp, "response");
            JsonNode body = assembled;
            if (body == null && plain != null) {
                body = plain.truncated() ? Json.MAPPER.getNodeFactory().textNode("[TRUNCATED: " + plain.size() + " bytes]")
                        : parsedOrText(plain.bytes());
            }
            line.set("response", Redaction.strings(body, redact));
            line.put("model", state.model).put("provider", state.provider);
            if (includeMetadata) {
                line.putObject("metadata").put("status_code", status).put("duration_ms", durationMs);
            }
            return line;
        };
    }

    private LineRecord errorLine(CallState state, CallEnd end) {
        String timestamp = Instant.now().toString();
        String type = CallFacts.errorType(end);
        String message = CallFacts.errorMessage(end);
        return () -> state.line(timestamp, "error")
                .put("error_type", type)
                .put("error_message", redact.apply(message))
                .put("model", state.model)
                .put("provider", state.provider);
    }

    /** The request without system prompts, when they are not to be logged; the shared request is not changed. */
    private JsonNode withoutSystemPrompts(JsonNode request) {
        if (includeSystemPrompts || !(request instanceof ObjectNode object)) {
            return request;
        }
        ObjectNode copy = object.objectNode();
        object.properties().forEach(field -> {
            String name = field.getKey();
            JsonNode value = field.getValue();
            if (name.equals("system") || name.equals("instructions")) {
                return;
            }
            if ((name.equals("messages") || name.equals("input")) && value.isArray()) {
                ArrayNode kept = copy.arrayNode();
                value.forEach(message -> {
                    if (!SYSTEM_ROLES.contains(message.path("role").asText())) {
                        kept.add(message);
                    }
                });
                copy.set(name, kept);
            } else {
                copy.set(name, value);
            }
        });
        return copy;
    }

    private static JsonNode text(Buffer body) {
        if (body == null || body.length() == 0) {
            return Json.MAPPER.nullNode();
        }
        return parsedOrText(body);
    }

    private static JsonNode parsedOrText(Buffer bytes) {
        if (bytes == null || bytes.length() == 0) {
            return Json.MAPPER.nullNode();
        }
        JsonNode json = RecordedBody.parse(bytes);
        if (json != null) {
            return json;
        }
        String text = RecordedBody.utf8(bytes);
        return Json.MAPPER.getNodeFactory().textNode(text != null ? text : "[binary: " + bytes.length() + " bytes]");
    }

    /** What the logger keeps of one call. Its fields are set on the event loop and read by the writer afterwards. */
    private static final class CallState {
        final String requestId;
        final String sessionId;
        final String model;
        final String provider;
        final String vendor;
        final String path;
        boolean responded;
        /** A stream the gateway assembles, shared with the call's other readers so that it is parsed once. */
        ResponseCapture stream;
        BodyCapture plain;

        CallState(Call call, ProxyRequest request) {
            this.requestId = call.id();
            this.sessionId = CallFacts.sessionId(call);
            this.model = CallFacts.model(request);
            this.provider = request.upstream().name();
            this.vendor = request.clientFormat().type();
            this.path = request.path();
        }

        void observe(Call call, ProxyResponse response) {
            responded = true;
            if (response.isEventStream()) {
                ResponseCapture capture = ResponseCapture.watch(call, response, vendor, path);
                if (capture.assemblesStream()) {
                    stream = capture;
                    return;
                }
            }
            plain = new BodyCapture(MAX_LOGGED_BODY_BYTES);
            response.observeChunks(plain::append);
        }

        ObjectNode line(String timestamp, String direction) {
            return Json.MAPPER.createObjectNode()
                    .put("timestamp", timestamp)
                    .put("request_id", requestId)
                    .put("session_id", sessionId)
                    .put("direction", direction);
        }
    }
}
