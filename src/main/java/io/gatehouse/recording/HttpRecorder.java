package io.gatehouse.recording;

import com.fasterxml.jackson.databind.JsonNode;
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

import java.time.Instant;
import java.util.Map;

/**
 * Records each call as HTTP traffic in {@code recording_NNN.jsonl}: a request record when the call arrives, a
 * response record once the response has gone out, and an error record when the call failed or the client left;
 * every record carries the call's {@code request_id}. The format is the contract {@code gatehouse replay} reads; see
 * docs/recording.md. Bodies and headers are captured on the event loop, rendered and written by the recorder's
 * writer thread.
 */
public final class HttpRecorder implements Interceptor {
    public static final String TYPE = "http_recorder";
    private static final String STATE = "gatehouse.recording.http";

    private final AsyncRecordWriter<LineRecord> writer;
    private final String defaultProvider;
    private final boolean includeHeaders;
    private final boolean includeTiming;
    private final boolean redactSensitiveHeaders;
    private final long maxBodyBytes;

    HttpRecorder(AsyncRecordWriter<LineRecord> writer, String defaultProvider, boolean includeHeaders,
                 boolean includeTiming, boolean redactSensitiveHeaders, long maxBodyBytes) {
        this.writer = writer;
        this.defaultProvider = defaultProvider;
        this.includeHeaders = includeHeaders;
        this.includeTiming = includeTiming;
        this.redactSensitiveHeaders = redactSensitiveHeaders;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public String name() {
        return TYPE;
    }

    @Override
    public Future<ProxyResponse> intercept(Chain chain) {
        Call call = chain.call();
        ProxyRequest request = chain.request();
        CallState state = new CallState();
        call.attribute(STATE, state);
        writer.offer(requestRecord(call, request));
        return chain.proceed(request).map(response -> {
            state.capture = new BodyCapture(maxBodyBytes);
            response.observeChunks(state.capture::append);
            return response;
        });
    }

    @Override
    public void onCallEnd(CallEnd end) {
        CallState state = end.call().attribute(STATE);
        if (state == null) {
            return;
        }
        if (state.capture != null && end.response() != null && end.status() != 0) {
            if (end.outcome() == CallOutcome.FAILED && end.failure() != null && end.response().isEventStream()) {
                // The gateway ended the client's stream with an error event of its own, past the body pipeline.
                state.capture.append(end.request().clientFormat().streamErrorEvent(end.failure()));
            }
            writer.offer(responseRecord(end, state.capture));
        }
        if (end.outcome() != CallOutcome.COMPLETED) {
            writer.offer(errorRecord(end));
        }
    }

    private LineRecord requestRecord(Call call, ProxyRequest request) {
        String requestId = call.id();
        Instant start = CallFacts.start(call);
        String timestamp = Instant.now().toString();
        String path = CallFacts.clientPath(request, defaultProvider);
        String url = CallFacts.clientUrl(request, path);
        String query = request.query() == null ? "" : request.query();
        String method = request.method().name();
        Map<String, String> headers = includeHeaders ? Redaction.collect(request.headers()) : Map.of();
        String contentType = request.headers().get("content-type");
        Buffer body = request.body();
        JsonNode json = request.json();
        String sessionId = CallFacts.sessionId(call);
        String agentId = CallFacts.agentId(call);
        String provider = request.upstream().name();
        String model = CallFacts.model(request);
        boolean streaming = request.wantsStream();
        return () -> {
            ObjectNode record = Json.MAPPER.createObjectNode()
                    .put("type", "request")
                    .put("request_id", requestId)
                    .put("timestamp", timestamp)
                    .put("method", method)
                    .put("url", url)
                    .put("path", path)
                    .put("query", query);
            record.set("headers", Redaction.headers(headers, redactSensitiveHeaders));
            record.set("body", bodyOf(body, contentType, json));
            record.put("session_id", sessionId)
                    .put("agent_id", agentId)
                    .put("provider", provider)
                    .put("model", model)
                    .put("is_streaming", streaming);
            if (includeTiming) {
                record.put("start_time", CallFacts.epochSeconds(start));
            }
            return record;
        };
    }

    private LineRecord responseRecord(CallEnd end, BodyCapture capture) {
        String requestId = end.call().id();
        String timestamp = Instant.now().toString();
        int status = end.status();
        MultiMap sent = CallFacts.responseHeaders(end);
        Map<String, String> headers = includeHeaders ? Redaction.collect(sent) : Map.of();
        String contentType = sent.get("content-type");
        boolean streaming = end.response().isEventStream();
        double durationMs = end.durationNanos() / 1e6;
        double endTime = CallFacts.epochSeconds(Instant.now());
        return () -> {
            ObjectNode record = Json.MAPPER.createObjectNode()
                    .put("type", "response")
                    .put("request_id", requestId)
                    .put("timestamp", timestamp)
                    .put("status_code", status);
            record.set("headers", Redaction.headers(headers, redactSensitiveHeaders));
            // A stream is recorded as the SSE text the client got, never as JSON.
            record.set("body", RecordedBody.of(capture.bytes(), capture.size(), streaming ? "text/event-stream" : contentType,
                    null, Redaction::secrets));
            if (includeTiming) {
                record.put("duration_ms", durationMs).put("end_time", endTime);
            }
            return record.put("is_streaming", streaming);
        };
    }

    private LineRecord errorRecord(CallEnd end) {
        String requestId = end.call().id();
        String timestamp = Instant.now().toString();
        String type = CallFacts.errorType(end);
        String message = CallFacts.errorMessage(end);
        String method = end.request() == null ? null : end.request().method().name();
        String path = end.request() == null ? null : CallFacts.clientPath(end.request(), defaultProvider);
        int status = end.status();
        return () -> Json.MAPPER.createObjectNode()
                .put("type", "error")
                .put("request_id", requestId)
                .put("timestamp", timestamp)
                .put("error_type", type)
                .put("error_message", message)
                .put("method", method)
                .put("path", path)
                .put("status_code", status);
    }

    private ObjectNode bodyOf(Buffer body, String contentType, JsonNode json) {
        long size = body.length();
        return RecordedBody.of(size > maxBodyBytes ? null : body, size, contentType, json, Redaction::secrets);
    }

    /** What the recorder keeps of one call between its start and its end. Event-loop only. */
    private static final class CallState {
        BodyCapture capture;
    }
}
