package io.gatehouse.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.cost.CallCost;
import io.gatehouse.cost.CallUsage;
import io.gatehouse.cost.CostInterceptor;
import io.gatehouse.events.LlmPayloads.Failure;
import io.gatehouse.events.LlmPayloads.ToolCall;
import io.gatehouse.events.LlmPayloads.ToolResult;
import io.gatehouse.events.LlmPayloads.Usage;
import io.gatehouse.events.SessionTraces.SessionTrace;
import io.gatehouse.pipeline.Call;
import io.gatehouse.pipeline.CallEnd;
import io.gatehouse.pipeline.CallOutcome;
import io.gatehouse.pipeline.Chain;
import io.gatehouse.pipeline.GatewayError;
import io.gatehouse.pipeline.Interceptor;
import io.gatehouse.pipeline.Json;
import io.gatehouse.pipeline.ProxyRequest;
import io.gatehouse.pipeline.ProxyResponse;
import io.gatehouse.provider.ResponseCapture;
import io.gatehouse.provider.StreamAssembler;
import io.gatehouse.session.ApiFormat;
import io.gatehouse.session.CallIdentity;
import io.gatehouse.session.Conversation;
import io.gatehouse.session.SessionInterceptor;
import io.gatehouse.session.SessionMatch;
import io.gatehouse.session.SessionTracker;
import io.vertx.core.Future;

import java.util.Locale;
import java.util.Map;

/**
 * Turns each conversation call into the seed's events. On the request: {@code session.start} for a new session,
 * {@code tool.result} for each tool result among the messages the session has not seen, and {@code llm.call.start};
 * then the session is marked as having seen them, so a resent history never repeats an event. On the response,
 * once the call has ended: {@code llm.call.finish} and one {@code tool.execution} per tool call, or
 * {@code llm.call.error}. Streams are assembled into the unstreamed body as they pass, so a streamed call reports
 * exactly what the same call unstreamed would; a stream that carried an error, was cut, or ended without its
 * end-of-stream event is an error, never a finish.
 *
 * <p>Runs after the session interceptor, whose call attributes it reads; calls without a session pass untouched.
 * Each call's events also go to its {@link CallEvents}, for interceptors that print or act on them.
 */
public final class EventsInterceptor implements Interceptor {
    public static final String TYPE = "events";
    private static final String CALL_TRACE = "gatehouse.events.call";

    private final SessionTracker tracker;
    private final SessionTraces traces;
    private final boolean callListeners;

    /**
     * @param callListeners whether an interceptor of the chain reads each call's {@link CallEvents} (the printer);
     *                      without one, events are built only while the event bus has subscribers
     */
    public EventsInterceptor(SessionTracker tracker, SessionTraces traces, boolean callListeners) {
        this.tracker = tracker;
        this.traces = traces;
        this.callListeners = callListeners;
    }

    @Override
    public String name() {
        return TYPE;
    }

    @Override
    public Future<ProxyResponse> intercept(Chain chain) {
        Call call = chain.call();
        ProxyRequest request = chain.request();
        SessionMatch match = call.attribute(SessionInterceptor.MATCH);
        CallIdentity identity = call.attribute(SessionInterceptor.IDENTITY);
        Conversation conversation = call.attribute(SessionInterceptor.CONVERSATION);
        if (match == null || identity == null || conversation == null) {
            return chain.proceed(request);
        }
        if (!callListeners && !traces.hasSubscribers()) {
            // Nobody reads events: building them (request data, assembled streams) would be pure cost. The session
            // still counts the messages as seen, so a subscriber that comes later is not flooded with old ones.
            tracker.markProcessed(match.sessionId(), conversation.size());
            return chain.proceed(request);
        }
        CallTrace trace = new CallTrace(traces.open(match.sessionId(), identity.agentId()), identity,
                request.clientFormat().type(), request.json(), conversation.format(), request.path());
        call.attribute(CallEvents.ATTRIBUTE, trace.callEvents);
        emitRequestEvents(trace, match, conversation);
        tracker.markProcessed(match.sessionId(), conversation.size());
        call.attribute(CALL_TRACE, trace);
        return chain.proceed(request).map(response -> {
            trace.observe(call, response);
            return response;
        });
    }

    @Override
    public void onCallEnd(CallEnd end) {
        CallTrace trace = end.call().attribute(CALL_TRACE);
        if (trace != null) {
            emitResponseEvents(trace, end);
        }
    }

    private void emitRequestEvents(CallTrace trace, SessionMatch match, Conversation conversation) {
        SessionTrace session = trace.session;
        if (match.isNew()) {
            ObjectNode attributes = trace.attributes()
                    .put("client.type", "gateway")
                    .put("llm.vendor", trace.vendor)
                    .put("llm.model", trace.requestModel)
                    .put("prompt", conversation.systemPrompt() == null ? "default-system" : conversation.systemPrompt());
            JsonNode tools = trace.requestBody.path("tools");
            if (!tools.isMissingNode()) {
                attributes.set("tools", tools);
            }
            session.lastSpanId = Event.newSpanId();
            emit(trace, Event.SESSION_START, Event.INFO, session.lastSpanId, attributes);
        }
        JsonNode history = LlmPayloads.history(trace.format, trace.requestBody);
        int from = Math.min(match.lastProcessedIndex(), conversation.size());
        for (ToolResult result : LlmPayloads.toolResults(trace.format, history, from, session::toolName)) {
            ObjectNode attributes = trace.attributes()
                    .put("tool.name", result.name() == null ? "unknown" : result.name())
                    .put("tool.status", result.isError() ? "error" : "success")
                    .put("tool.execution_time_ms", 0.0);
            attributes.set("tool.result", result.result());
            // The seed's span policy: every result of a batch shares the span of the latest tool call.
            emit(trace, Event.TOOL_RESULT, Event.INFO, spanOrNew(session), attributes);
        }
        boolean hasNewMessages = conversation.size() > from;
        if (hasNewMessages || trace.format == ApiFormat.OPENAI_RESPONSES || trace.identity.externalSessionId() != null) {
            ObjectNode attributes = trace.attributes()
                    .put("llm.vendor", trace.vendor)
                    .put("llm.model", trace.requestModel);
            attributes.set("llm.request.data", requestData(trace, history, from, conversation.size()));
            session.lastSpanId = Event.newSpanId();
            emit(trace, Event.LLM_CALL_START, Event.INFO, session.lastSpanId, attributes);
        }
        trace.spanId = spanOrNew(session);
    }

    /**
     * The seed's {@code llm.request.data}: the request body with its history cut to the new messages, and where
     * they came from. The other fields are shared with the request, not copied.
     */
    private static ObjectNode requestData(CallTrace trace, JsonNode history, int from, int total) {
        String historyField = trace.format == ApiFormat.OPENAI_RESPONSES ? "input" : "messages";
        ObjectNode data = Json.MAPPER.createObjectNode();
        trace.requestBody.properties().forEach(field -> data.set(field.getKey(), field.getValue()));
        if (history.size() > 0 || trace.requestBody.path(historyField).isArray()) {
            ArrayNode newMessages = data.putArray(historyField);
            for (int index = from; index < history.size(); index++) {
                newMessages.add(history.get(index));
            }
        }
        data.putObject("_cylestio_metadata")
                .put("total_messages", total)
                .put("new_messages", total - from)
                .put("from_index", from)
                .put("external_session", trace.identity.externalSessionId() != null);
        return data;
    }

    private void emitResponseEvents(CallTrace trace, CallEnd end) {
        double durationMs = end.durationNanos() / 1_000_000.0;
        JsonNode body = trace.responseBody();
        JsonNode streamError = trace.assembler == null ? null : trace.assembler.error();
        int status = end.response() != null ? end.response().status() : end.status();
        if (end.outcome() == CallOutcome.ABORTED) {
            emitError(trace, durationMs, status, "client_aborted", "The client closed the connection before the response was complete");
        } else if (streamError != null) {
            Failure failure = LlmPayloads.failure(streamError);
            emitError(trace, durationMs, status, failure == null ? "stream_error" : failure.type(),
                    failure == null ? null : failure.message());
        } else if (end.outcome() == CallOutcome.FAILED) {
            // The status the client saw may be a 200 whose body was then cut; the failure's own status says what went wrong.
            GatewayError failure = end.failure();
            emitError(trace, durationMs, failure == null ? status : failure.status(),
                    failure == null ? "gateway_error" : failure.kind().name().toLowerCase(Locale.ROOT),
                    failure == null ? null : failure.message());
        } else if (status >= 400) {
            Failure failure = LlmPayloads.failure(body);
            emitError(trace, durationMs, status,
                    failure != null && failure.type() != null ? failure.type() : LlmPayloads.errorTypeForStatus(trace.format, status),
                    failure != null ? failure.message() : null);
        } else if (trace.assembler != null && !trace.assembler.complete()) {
            // The connection ended cleanly but the answer did not: reporting what arrived as a finish would pass a
            // truncated reply (half a tool call's arguments, say) off as the model's whole answer.
            emitError(trace, durationMs, status, "incomplete_stream",
                    "The stream ended before the provider's end-of-stream event");
        } else {
            emitFinish(trace, durationMs, body, end.call().attribute(CostInterceptor.COST));
        }
    }

    /**
     * The finish. With the call's {@link CallCost} (null when metering is off or nothing was billed) it also carries
     * {@code llm.usage.cost_usd}, and the gateway's own token counts when the upstream reported none.
     */
    private void emitFinish(CallTrace trace, double durationMs, JsonNode body, CallCost cost) {
        ObjectNode attributes = trace.responseAttributes(durationMs);
        Usage usage = body == null ? null : LlmPayloads.usage(trace.format, body);
        if (usage == null && cost != null) {
            // The upstream reported no usage (a stream without its usage chunk): the gateway's own count, flagged.
            CallUsage counted = cost.usage();
            attributes.put("llm.usage.input_tokens", counted.inputTokens())
                    .put("llm.usage.output_tokens", counted.outputTokens())
                    .put("llm.usage.total_tokens", counted.totalTokens())
                    .put("llm.usage.estimated", true);
        }
        if (cost != null && cost.priced()) {
            attributes.put("llm.usage.cost_usd", cost.costUsd());
        }
        if (body != null) {
            String model = body.path("model").textValue();
            if (model != null) {
                attributes.put("llm.model", model);
            }
            if (usage != null) {
                putCount(attributes, "llm.usage.input_tokens", usage.input());
                putCount(attributes, "llm.usage.output_tokens", usage.output());
                putCount(attributes, "llm.usage.total_tokens", usage.total());
                putCount(attributes, "llm.usage.cache_read_input_tokens", usage.cacheRead());
                putCount(attributes, "llm.usage.cache_creation_input_tokens", usage.cacheCreation());
            }
            attributes.set("llm.response.content", LlmPayloads.content(trace.format, body));
            LlmPayloads.putResponseExtras(trace.format, body, attributes);
            String stopReason = LlmPayloads.stopReason(trace.format, body);
            if (stopReason != null) {
                attributes.put(trace.format == ApiFormat.ANTHROPIC_MESSAGES ? "llm.response.stop_reason"
                        : "llm.response.finish_reason", stopReason);
            }
        }
        emit(trace, Event.LLM_CALL_FINISH, Event.INFO, trace.spanId, attributes);
        if (body == null) {
            return;
        }
        SessionTrace session = trace.session;
        for (ToolCall call : LlmPayloads.toolCalls(trace.format, body)) {
            session.rememberToolName(call.id(), call.name());
            ObjectNode toolAttributes = trace.attributes().put("tool.name", call.name()).put("tool.call_id", call.id());
            toolAttributes.set("tool.params", call.params());
            putWorkflow(trace, toolAttributes);
            session.lastSpanId = Event.newSpanId();
            emit(trace, Event.TOOL_EXECUTION, Event.INFO, session.lastSpanId, toolAttributes);
        }
    }

    private void emitError(CallTrace trace, double durationMs, int status, String type, String message) {
        ObjectNode attributes = trace.responseAttributes(durationMs)
                .put("error.type", type)
                .put("error.message", message == null ? "HTTP " + status : message);
        if (status > 0) {
            attributes.put("http.status_code", status);
        }
        emit(trace, Event.LLM_CALL_ERROR, Event.ERROR, trace.spanId, attributes);
    }

    private void emit(CallTrace trace, String name, String level, String spanId, ObjectNode attributes) {
        trace.callEvents.add(traces.emit(trace.session, name, level, trace.identity.agentId(), spanId, attributes));
    }

    private static String spanOrNew(SessionTrace session) {
        String span = session.lastSpanId;
        return span != null ? span : Event.newSpanId();
    }

    private static void putCount(ObjectNode attributes, String name, Long count) {
        if (count != null) {
            attributes.put(name, count);
        }
    }

    private static void putWorkflow(CallTrace trace, ObjectNode attributes) {
        if (trace.identity.workflowId() != null) {
            attributes.put("agent_workflow.id", trace.identity.workflowId());
        }
    }

    /** One call's state between its request and its end. Touched only on the call's event loop. */
    private static final class CallTrace {
        final SessionTrace session;
        final CallIdentity identity;
        final String vendor;
        final JsonNode requestBody;
        final String requestModel;
        final ApiFormat format;
        final String path;
        final CallEvents callEvents = new CallEvents();
        /** The span the call's finish or error reuses: that of its {@code llm.call.start}. */
        String spanId;
        /** The response's capture, from the moment its headers arrived; null before. */
        ResponseCapture capture;
        /** The stream's assembler; null for a plain body or a stream of an API the gateway does not assemble. */
        StreamAssembler assembler;

        CallTrace(SessionTrace session, CallIdentity identity, String vendor, JsonNode requestBody, ApiFormat format,
                  String path) {
            this.session = session;
            this.identity = identity;
            this.vendor = vendor;
            this.requestBody = requestBody;
            this.requestModel = requestBody.path("model").textValue();
            this.format = format;
            this.path = path;
        }

        /** Watches the response, sharing what the call's other readers (the cost interceptor) already watch. */
        void observe(Call call, ProxyResponse response) {
            capture = ResponseCapture.watch(call, response, vendor, path);
            assembler = capture.assembler();
        }

        /** The unstreamed response body: assembled from the stream, or the plain body parsed; null when unknown. */
        JsonNode responseBody() {
            return capture == null ? null : capture.body();
        }

        /** Attributes every event of the call carries: the session and, when the client gave any, its tags. */
        ObjectNode attributes() {
            ObjectNode attributes = Json.MAPPER.createObjectNode().put("session.id", session.sessionId);
            Map<String, String> tags = identity.tags();
            if (tags != null && !tags.isEmpty()) {
                ObjectNode tagNode = attributes.putObject("tags");
                tags.forEach(tagNode::put);
            }
            return attributes;
        }

        /** What finish and error events share: vendor, model, duration and the workflow. */
        ObjectNode responseAttributes(double durationMs) {
            ObjectNode attributes = attributes()
                    .put("llm.vendor", vendor)
                    .put("llm.model", requestModel)
                    .put("llm.response.duration_ms", durationMs);
            putWorkflow(this, attributes);
            return attributes;
        }
    }
}
