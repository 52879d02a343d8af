package io.gatehouse.events;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.session.Digests;

import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One event in the seed's envelope ({@code src/events/base.py}), so recordings and tools built for the seed read
 * ours unchanged, plus {@code event_id}: the seed has no id of its own and reuses span ids, which are shared by a
 * call's start and finish, so ours are unique.
 *
 * <p>Attributes may share nodes with the request they were taken from; treat them as read-only.
 */
@JsonPropertyOrder({"event_id", "schema_version", "timestamp", "trace_id", "span_id", "name", "level", "agent_id",
        "session_id", "attributes"})
public record Event(
        @JsonProperty("event_id") String eventId,
        @JsonProperty("schema_version") String schemaVersion,
        @JsonProperty("timestamp") String timestamp,
        @JsonProperty("trace_id") String traceId,
        @JsonProperty("span_id") String spanId,
        @JsonProperty("name") String name,
        @JsonProperty("level") String level,
        @JsonProperty("agent_id") String agentId,
        @JsonProperty("session_id") String sessionId,
        @JsonProperty("attributes") ObjectNode attributes) {

    public static final String SCHEMA_VERSION = "1.0";

    public static final String SESSION_START = "session.start";
    public static final String SESSION_END = "session.end";
    public static final String LLM_CALL_START = "llm.call.start";
    public static final String LLM_CALL_FINISH = "llm.call.finish";
    public static final String LLM_CALL_ERROR = "llm.call.error";
    public static final String TOOL_EXECUTION = "tool.execution";
    public static final String TOOL_RESULT = "tool.result";

    public static final String INFO = "INFO";
    public static final String ERROR = "ERROR";

    /** A new event, stamped now, in the trace of its session. */
    public static Event of(String name, String level, String sessionId, String agentId, String spanId,
                           ObjectNode attributes) {
        return at(Instant.now(), name, level, sessionId, traceId(sessionId), agentId, spanId, attributes);
    }

    /**
     * A new event stamped {@code time}, in the trace of its session: {@code traceId} is {@link #traceId} of the
     * session id, which a caller emitting many events of one session works out once.
     */
    static Event at(Instant time, String name, String level, String sessionId, String traceId, String agentId,
                    String spanId, ObjectNode attributes) {
        return new Event(newEventId(), SCHEMA_VERSION, time.toString(), traceId, spanId, name, level, agentId,
                sessionId, attributes);
    }

    /** The seed's trace id: the MD5 hex of the session id, so every event of a session shares one trace. */
    public static String traceId(String sessionId) {
        return Digests.md5Hex(sessionId);
    }

    /** 16 hex digits, as the seed's {@code uuid4().hex[:16]}; a thread-local source so the event loop never waits. */
    public static String newSpanId() {
        return hex(ThreadLocalRandom.current().nextLong());
    }

    /** 128 random bits as 32 hex digits: unique for all practical purposes, without SecureRandom on the hot path. */
    static String newEventId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return hex(random.nextLong()) + hex(random.nextLong());
    }

    private static String hex(long bits) {
        String digits = Long.toHexString(bits);
        return "0".repeat(16 - digits.length()) + digits;
    }
}
