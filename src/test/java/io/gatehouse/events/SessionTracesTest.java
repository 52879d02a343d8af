package io.gatehouse.events;

import io.gatehouse.pipeline.Json;
import io.gatehouse.session.SessionListener;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SessionTracesTest {

    @Test
    void everyEventOfASessionCarriesTheMd5OfItsIdAsTraceId() throws Exception {
        List<Event> emitted = new ArrayList<>();
        SessionTraces traces = new SessionTraces(emitted::add);
        SessionTraces.SessionTrace first = traces.open("session-a", "agent");
        traces.emit(first, Event.LLM_CALL_START, Event.INFO, "agent", Event.newSpanId(), Json.MAPPER.createObjectNode());
        traces.emit(traces.open("session-b", "agent"), Event.LLM_CALL_START, Event.INFO, "agent", Event.newSpanId(),
                Json.MAPPER.createObjectNode());
        traces.onSessionEnd("session-a", SessionListener.EndReason.EXPIRED);

        assertThat(emitted).extracting(Event::sessionId).containsExactly("session-a", "session-b", "session-a");
        for (Event event : emitted) {
            byte[] md5 = MessageDigest.getInstance("MD5").digest(event.sessionId().getBytes(StandardCharsets.UTF_8));
            assertThat(event.traceId()).isEqualTo(HexFormat.of().formatHex(md5));
        }
    }
}
