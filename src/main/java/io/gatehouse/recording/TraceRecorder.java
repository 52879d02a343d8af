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
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The seed's first recorder (seed 000/001): one JSON file per call, written once the call has ended, shaped
 * {@code {timestamp, trace_id, request{method,url,headers,body,query_params}, response{status_code,headers,body,chunks,
 * is_streaming}, duration_ms}}, plus {@code error{type,message}} when the call failed. {@code trace_id} is the call's
 * request id. Bodies (and the chunks of a stream, together) over {@code max_body_size} bytes are replaced by a
 * truncation marker; credential headers are always {@code [REDACTED]}.
 */
public final class TraceRecorder implements Interceptor {
    public static final String TYPE = "trace";
    private static final String STATE = "gatehouse.recording.trace";

    private final AsyncRecordWriter<TraceFiles.Trace> writer;
    private final String defaultProvider;
    private final boolean includeHeaders;
    private final boolean includeBody;
    private final long maxBodySize;

    TraceRecorder(AsyncRecordWriter<TraceFiles.Trace> writer, String defaultProvider, boolean includeHeaders,
                  boolean includeBody, long maxBodySize) {
        this.writer = writer;
        this.defaultProvider = defaultProvider;
        this.includeHeaders = includeHeaders;
        this.includeBody = includeBody;
        this.maxBodySize = maxBodySize;
    }

    @Override
    public String name() {
        return TYPE;
    }

    @Override
    public Future<ProxyResponse> intercept(Chain chain) {
        Call call = chain.call();
        CallState state = new CallState(chain.request());
        call.attribute(STATE, state);
        return chain.proceed(chain.request()).map(response -> {
            state.responded = true;
            if (includeBody) {
                if (response.isEventStream()) {
                    state.chunks = new StreamChunks(maxBodySize);
                    response.observeChunks(state.chunks::append);
                } else {
                    state.body = new BodyCapture(maxBodySize);
                    response.observeChunks(state.body::append);
                }
            }
            return response;
        });
    }

    @Override
    public void onCallEnd(CallEnd end) {
        CallState state = end.call().attribute(STATE);
        if (state == null) {
            return;
        }
        ProxyRequest request = state.request;
        if (state.chunks != null && end.outcome() == CallOutcome.FAILED && end.failure() != null && end.status() != 0) {
            // The gateway ended the client's stream with an error event of its own, past the body pipeline.
            state.chunks.append(request.clientFormat().streamErrorEvent(end.failure()));
        }
        String requestId = end.call().id();
        String timestamp = CallFacts.start(end.call()).toString();
        String url = CallFacts.clientUrl(request, CallFacts.clientPath(request, defaultProvider));
        Map<String, String> requestHeaders = includeHeaders ? Redaction.collect(request.headers()) : null;
        boolean responded = state.responded && end.status() != 0;
        MultiMap sent = CallFacts.responseHeaders(end);
        Map<String, String> responseHeaders = includeHeaders && responded ? Redaction.collect(sent) : null;
        boolean streaming = end.response() != null && end.response().isEventStream();
        int status = end.status();
        double durationMs = end.durationNanos() / 1e6;
        String errorType = end.outcome() == CallOutcome.COMPLETED ? null : CallFacts.errorType(end);
        String errorMessage = errorType == null ? null : CallFacts.errorMessage(end);
        StreamChunks chunks = state.chunks;
        BodyCapture body = state.body;
        writer.offer(new TraceFiles.Trace(timestamp, requestId, () -> {
            ObjectNode trace = Json.MAPPER.createObjectNode().put("timestamp", timestamp).put("trace_id", requestId);
            ObjectNode req = trace.putObject("request")
                    .put("method", request.method().name())
                    .put("url", url);
            if (requestHeaders != null) {
                req.set("headers", Redaction.headers(requestHeaders, true));
            }
            if (includeBody) {
                Buffer bytes = request.body();
                req.set("body", bodyValue(bytes.length() > maxBodySize ? null : bytes, bytes.length(), request.json()));
            }
            req.set("query_params", queryParams(request.query()));
            if (responded) {
                ObjectNode res = trace.putObject("response").put("status_code", status);
                if (responseHeaders != null) {
                    res.set("headers", Redaction.headers(responseHeaders, true));
                }
                if (includeBody) {
                    res.set("body", streaming || body == null ? Json.MAPPER.nullNode()
                            : bodyValue(body.bytes(), body.size(), null));
                    ArrayNode chunkArray = res.putArray("chunks");
                    if (chunks != null) {
                        if (chunks.truncated()) {
                            chunkArray.add("[TRUNCATED: " + chunks.size() + " bytes]");
                        } else {
                            chunks.forEachText(chunk -> chunkArray.add(Redaction.secrets(chunk)));
                        }
                    }
                }
                res.put("is_streaming", streaming);
            } else {
                trace.putNull("response");
            }
            trace.put("duration_ms", durationMs);
            if (errorType != null) {
                trace.putObject("error").put("type", errorType).put("message", errorMessage);
            }
            return trace;
        }));
    }

    /** A body as the seed wrote it: its JSON, else its text, with secrets masked; a marker when over the limit. */
    private static JsonNode bodyValue(Buffer bytes, long size, JsonNode parsed) {
        if (bytes == null) {
            return Json.MAPPER.getNodeFactory().textNode("[TRUNCATED: " + size + " bytes]");
        }
        if (size == 0) {
            return Json.MAPPER.nullNode();
        }
        JsonNode json = parsed != null ? parsed : RecordedBody.parse(bytes);
        if (json != null) {
            return Redaction.strings(json, Redaction::secrets);
        }
        String text = RecordedBody.utf8(bytes);
        return Json.MAPPER.getNodeFactory().textNode(text == null ? "[binary: " + size + " bytes]" : Redaction.secrets(text));
    }

    /** The query string as name to value, or to an array of values when a name repeats. */
    private static ObjectNode queryParams(String query) {
        ObjectNode params = Json.MAPPER.createObjectNode();
        if (query == null || query.isEmpty()) {
            return params;
        }
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals));
            String value = Redaction.secrets(equals < 0 ? "" : decode(pair.substring(equals + 1)));
            JsonNode existing = params.get(name);
            if (existing == null) {
                params.put(name, value);
            } else if (existing.isArray()) {
                ((ArrayNode) existing).add(value);
            } else {
                params.putArray(name).add(existing).add(value);
            }
        }
        return params;
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return text;
        }
    }

    /** What the recorder keeps of one call until it ends. Event-loop only. */
    private static final class CallState {
        final ProxyRequest request;
        boolean responded;
        BodyCapture body;
        StreamChunks chunks;

        CallState(ProxyRequest request) {
            this.request = request;
        }
    }

    /**
     * A stream's chunks as the client got them, up to a limit on their total size: their bytes one after another
     * in one buffer, and where each ends. The event loop only copies bytes; each chunk becomes text on the writer
     * thread, which then reads one block of memory rather than a string per chunk made on another core.
     */
    private static final class StreamChunks {
        private final BodyCapture capture;
        private int[] ends = new int[32];
        private int count;

        StreamChunks(long limit) {
            this.capture = new BodyCapture(limit);
        }

        void append(Buffer chunk) {
            capture.append(chunk);
            if (capture.truncated()) {
                return;
            }
            if (count == ends.length) {
                ends = Arrays.copyOf(ends, count * 2);
            }
            ends[count++] = (int) capture.size();
        }

        /** Whether the chunks together outgrew the limit: only their size is known then. */
        boolean truncated() {
            return capture.truncated();
        }

        long size() {
            return capture.size();
        }

        /** Each chunk's text, in order, decoded as the seed did: on its own, as UTF-8. */
        void forEachText(Consumer<String> action) {
            byte[] all = capture.bytes().getBytes();
            int start = 0;
            for (int i = 0; i < count; i++) {
                action.accept(new String(all, start, ends[i] - start, StandardCharsets.UTF_8));
                start = ends[i];
            }
        }
    }
}
