package io.gatehouse.events;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.pipeline.Json;
import io.gatehouse.session.SessionListener;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the events layer remembers of each live session between its calls: when it began, how many events it had,
 * the span that tool results attach to, and the names of the tools it called. As the tracker's
 * {@link SessionListener} it emits {@code session.end} and forgets the session, so it holds no more sessions than
 * the tracker does.
 */
public final class SessionTraces implements SessionListener {
    private final EventSink sink;
    private final Map<String, SessionTrace> traces = new ConcurrentHashMap<>();

    public SessionTraces(EventSink sink) {
        this.sink = sink;
    }

    /** The trace of a session a call landed in, begun now when this is its first call. */
    SessionTrace open(String sessionId, String agentId) {
        SessionTrace trace = traces.computeIfAbsent(sessionId, SessionTrace::new);
        trace.agentId = agentId;
        return trace;
    }

    /** True when the events emitted here reach anyone: always for a plain sink, while it has subscribers for a bus. */
    boolean hasSubscribers() {
        return !(sink instanceof EventBus bus) || bus.hasSubscribers();
    }

    /** Emits an event in the session's trace, counts it for {@code session.end}, and returns it. */
    Event emit(SessionTrace trace, String name, String level, String agentId, String spanId, ObjectNode attributes) {
        Instant now = Instant.now();
        trace.recordEvent(now.toEpochMilli());
        Event event = Event.at(now, name, level, trace.sessionId, trace.traceId, agentId, spanId, attributes);
        sink.accept(event);
        return event;
    }

    @Override
    public void onSessionEnd(String sessionId, EndReason reason) {
        SessionTrace trace = traces.remove(sessionId);
        if (trace == null) {
            return; // No call of this session went through the events interceptor: nothing began, nothing ends.
        }
        // From its first event to its last: the idle time that made it expire is not part of the session.
        ObjectNode attributes = Json.MAPPER.createObjectNode()
                .put("session.id", sessionId)
                .put("session.duration_ms", trace.lastEventMillis - trace.firstEventMillis.get())
                .put("session.events_count", trace.eventCount.get())
                .put("session.end_reason", reason.name().toLowerCase(Locale.ROOT));
        emit(trace, Event.SESSION_END, Event.INFO, trace.agentId, Event.newSpanId(), attributes);
    }

    /** One live session's trace. Its fields are written by whichever event loop serves the session's latest call. */
    static final class SessionTrace {
        /**
         * Tool names kept per session for results whose call is not in the request's own history (a Responses API
         * follow-up by {@code previous_response_id}). Cleared when full rather than ordered, so it stays lock-free.
         */
        private static final int MAX_TOOL_NAMES = 256;

        final String sessionId;
        /** {@link Event#traceId} of the session id, shared by every event of the session. */
        final String traceId;
        /** Epoch milliseconds of the session's first event, -1 before it. */
        final AtomicLong firstEventMillis = new AtomicLong(-1);
        volatile long lastEventMillis;
        final AtomicInteger eventCount = new AtomicInteger();
        private final Map<String, String> toolNames = new ConcurrentHashMap<>();
        volatile String agentId;
        /** The seed's stored span: that of the latest session start, call start or tool call. */
        volatile String lastSpanId;

        SessionTrace(String sessionId) {
            this.sessionId = sessionId;
            this.traceId = Event.traceId(sessionId);
        }

        void recordEvent(long epochMillis) {
            firstEventMillis.compareAndSet(-1, epochMillis);
            lastEventMillis = epochMillis;
            eventCount.incrementAndGet();
        }

        void rememberToolName(String toolCallId, String name) {
            if (toolCallId == null || name == null) {
                return;
            }
            if (toolNames.size() >= MAX_TOOL_NAMES) {
                toolNames.clear();
            }
            toolNames.put(toolCallId, name);
        }

        String toolName(String toolCallId) {
            return toolCallId == null ? null : toolNames.get(toolCallId);
        }
    }
}
