package io.gatehouse.events;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.pipeline.Json;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class EventTest {

    private static Event sample(String sessionId) {
        return Event.of(Event.LLM_CALL_START, Event.INFO, sessionId, "prompt-0123456789ab", Event.newSpanId(),
                Json.MAPPER.createObjectNode().put("session.id", sessionId).put("llm.vendor", "openai"));
    }

    @Test
    void serializesTheSeedEnvelopeWithAUniqueEventId() throws Exception {
        JsonNode json = Json.MAPPER.readTree(Json.write(sample("session-1")));

        assertThat(json.properties()).extracting(field -> field.getKey()).containsExactly("event_id",
                "schema_version", "timestamp", "trace_id", "span_id", "name", "level", "agent_id", "session_id",
                "attributes");
        assertThat(json.path("schema_version").asText()).isEqualTo("1.0");
        assertThat(json.path("name").asText()).isEqualTo("llm.call.start");
        assertThat(json.path("level").asText()).isEqualTo("INFO");
        assertThat(json.path("agent_id").asText()).isEqualTo("prompt-0123456789ab");
        assertThat(json.path("session_id").asText()).isEqualTo("session-1");
        assertThat(json.path("attributes").path("llm.vendor").asText()).isEqualTo("openai");
        assertThat(json.path("span_id").asText()).matches("[0-9a-f]{16}");
        assertThat(json.path("event_id").asText()).matches("[0-9a-f]{32}");
        assertThat(Instant.parse(json.path("timestamp").asText())).isCloseTo(Instant.now(),
                org.assertj.core.api.Assertions.within(5, java.time.temporal.ChronoUnit.SECONDS));
        assertThat(json.path("timestamp").asText()).endsWith("Z");
    }

    @Test
    void theTraceIdIsTheMd5OfTheSessionId() throws Exception {
        byte[] md5 = MessageDigest.getInstance("MD5").digest("session-1".getBytes(StandardCharsets.UTF_8));

        assertThat(sample("session-1").traceId()).isEqualTo(HexFormat.of().formatHex(md5));
        assertThat(sample("session-1").traceId()).isEqualTo(sample("session-1").traceId());
        assertThat(sample("session-2").traceId()).isNotEqualTo(sample("session-1").traceId());
    }

    @Test
    void eventIdsAreUniqueEvenWhereSpansAreShared() {
        Set<String> ids = new HashSet<>();
        IntStream.range(0, 10_000).forEach(i -> ids.add(sample("s").eventId()));

        assertThat(ids).hasSize(10_000);
    }

    @Test
    void theBusSkipsASubscriberThatThrowsAndStopsAfterUnsubscribing() throws Exception {
        EventBus bus = new EventBus();
        List<String> received = new ArrayList<>();
        bus.subscribe(event -> {
            throw new IllegalStateException("broken recorder");
        });
        AutoCloseable subscription = bus.subscribe(event -> received.add(event.name()));

        bus.accept(sample("s"));
        subscription.close();
        bus.accept(sample("s"));

        assertThat(received).containsExactly("llm.call.start");
    }
}
