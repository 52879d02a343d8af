package io.gatehouse.events;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.session.SessionConfig;
import io.gatehouse.testing.FakeUpstream;
import io.gatehouse.testing.GatewayTestSupport;
import io.gatehouse.testing.TestGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Events cost a copy of the request's new messages and an assembled stream per call, so the gateway builds them
 * only while the event bus has a subscriber (or a printer reads them). A subscriber that comes later sees the
 * conversation from where it joined: the messages sent before were counted as seen, never replayed as new.
 */
class EventsOnlyWhileListenedTest extends GatewayTestSupport {
    private static final String FIRST_TURN = """
            {"model":"demo-gpt","messages":[{"role":"system","content":"You help."},{"role":"user","content":"Hi"}]}""";
    private static final String SECOND_TURN = """
            {"model":"demo-gpt","messages":[{"role":"system","content":"You help."},{"role":"user","content":"Hi"},
            {"role":"assistant","content":"Hello!"},{"role":"user","content":"And now?"}]}""";

    private FakeUpstream upstream;
    private TestGateway.Running gateway;

    @BeforeEach
    void start() {
        upstream = FakeUpstream.start(vertx).on("POST", "/v1/chat/completions", FakeUpstream.respond(200,
                "application/json", "{\"id\":\"c1\",\"object\":\"chat.completion\",\"model\":\"demo-gpt\",\"choices\":"
                        + "[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Hello!\"},\"finish_reason\":\"stop\"}]}"));
        // A one-second TTL, so the session ends (and says how many events it had) within the test.
        gateway = TestGateway.builder().provider("openai", "openai", upstream.baseUrl(), "sk-upstream-0123456789abcdef")
                .session(new SessionConfig(null, null, 1L, null, null, null, null)).start();
    }

    @AfterEach
    void stop() {
        gateway.close();
        upstream.close();
    }

    @Test
    void aLateSubscriberSeesOnlyWhatHappensAfterItJoined() throws Exception {
        String session = postJson(gateway.baseUrl() + "/v1/chat/completions", FIRST_TURN, Map.of())
                .headers().firstValue("x-gatehouse-session-id").orElseThrow();

        EventCapture events = EventCapture.on(gateway);
        String sameSession = postJson(gateway.baseUrl() + "/v1/chat/completions", SECOND_TURN, Map.of())
                .headers().firstValue("x-gatehouse-session-id").orElseThrow();

        assertThat(sameSession).isEqualTo(session);
        // No session.start: the session began before anyone listened. Only the two new messages are reported, and
        // the session ends with the events built since: none was built for the first turn.
        List<Event> all = events.awaitNames(Event.LLM_CALL_START, Event.LLM_CALL_FINISH, Event.SESSION_END);
        assertThat(all.get(2).attributes().path("session.events_count").asInt()).isEqualTo(2);
        Event start = all.get(0);
        JsonNode metadata = start.attributes().path("llm.request.data").path("_cylestio_metadata");
        assertThat(metadata.path("from_index").asInt()).isEqualTo(2);
        assertThat(metadata.path("new_messages").asInt()).isEqualTo(2);
        assertThat(start.attributes().path("llm.request.data").path("messages").get(0).path("content").asText())
                .isEqualTo("Hello!");
    }
}
