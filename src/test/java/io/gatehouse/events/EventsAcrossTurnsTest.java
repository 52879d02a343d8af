package io.gatehouse.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.gatehouse.pipeline.Json;
import io.gatehouse.session.SessionConfig;
import io.gatehouse.testing.FakeUpstream;
import io.gatehouse.testing.GatewayTestSupport;
import io.gatehouse.testing.TestGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.gatehouse.events.EventCapture.allNamed;
import static io.gatehouse.events.EventCapture.golden;
import static io.gatehouse.events.EventCapture.goldenEvents;
import static io.gatehouse.events.EventCapture.json;
import static io.gatehouse.events.EventCapture.named;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * Events over whole conversations through a real gateway: each message produces its events once however often
 * the history is resent, tool results come back as {@code tool.result} with the name of the call they answer,
 * client-given session ids hold a session together, and sessions that end say so.
 */
class EventsAcrossTurnsTest extends GatewayTestSupport {
    private FakeUpstream upstream;
    private TestGateway.Running gateway;
    private EventCapture events;

    private void startGateway(SessionConfig session) {
        upstream = FakeUpstream.start(vertx);
        TestGateway builder = TestGateway.builder().provider("openai", "openai", upstream.baseUrl(), "sk-upstream-0123456789abcdef")
                .provider("anthropic", "anthropic", upstream.baseUrl(), "sk-ant-upstream-0123456789");
        gateway = (session == null ? builder : builder.session(session)).start();
        events = EventCapture.on(gateway);
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
            upstream.close();
        }
    }

    private HttpResponse<String> post(String path, String body, Map<String, String> headers) throws Exception {
        return postJson(gateway.baseUrl() + path, body, headers);
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return post(path, body, Map.of("anthropic-version", "2023-06-01"));
    }

    private static String sessionOf(HttpResponse<String> response) {
        return response.headers().firstValue("x-gatehouse-session-id").orElseThrow();
    }

    @Test
    void eachMessageOfAChatWithParallelToolCallsProducesItsEventsOnce() throws Exception {
        startGateway(null);
        String opening = """
                {"role":"system","content":"You are a weather bot"},{"role":"user","content":"Weather in Paris and the forecast for Tokyo?"}""";
        String toolTurn = opening + """
                ,{"role":"assistant","content":null,"tool_calls":[
                  {"id":"call_Xa1","type":"function","function":{"name":"get_weather","arguments":"{\\"location\\": \\"Paris, France\\"}"}},
                  {"id":"call_Yb2","type":"function","function":{"name":"get_forecast","arguments":"{\\"location\\": \\"Tokyo\\"}"}}]},
                 {"role":"tool","tool_call_id":"call_Xa1","content":"18°C and sunny"},
                 {"role":"tool","tool_call_id":"call_Yb2","content":"rain tomorrow"}""";
        String closing = toolTurn + """
                ,{"role":"assistant","content":"Sunny in Paris; rain in Tokyo tomorrow."},{"role":"user","content":"Thanks!"}""";

        upstream.on("POST", "/v1/chat/completions", FakeUpstream.respond(200, "application/json",
                golden("openai-chat", "parallel-tool-calls.json")));
        HttpResponse<String> first = post("/v1/chat/completions", chatWithTools(opening));
        List<Event> turn1 = events.awaitNames(Event.SESSION_START, Event.LLM_CALL_START, Event.LLM_CALL_FINISH,
                Event.TOOL_EXECUTION, Event.TOOL_EXECUTION);

        upstream.on("POST", "/v1/chat/completions", FakeUpstream.respond(200, "application/json",
                golden("openai-chat", "plain-text.json")));
        HttpResponse<String> second = post("/v1/chat/completions", chatWithTools(toolTurn));
        List<Event> turn2 = events.awaitNamesFrom(turn1.size(), Event.TOOL_RESULT, Event.TOOL_RESULT,
                Event.LLM_CALL_START, Event.LLM_CALL_FINISH);

        List<Event> results = allNamed(turn2, Event.TOOL_RESULT);
        assertThat(results).extracting(event -> event.attributes().path("tool.name").asText())
                .containsExactly("get_weather", "get_forecast");
        assertThat(results).extracting(event -> event.attributes().path("tool.result").asText())
                .containsExactly("18°C and sunny", "rain tomorrow");
        assertThat(results).allSatisfy(event -> {
            assertThat(event.attributes().path("tool.status").asText()).isEqualTo("success");
            assertThat(event.attributes().path("tool.execution_time_ms").asDouble()).isZero();
            // The seed's span policy: the results of a batch share the span of the latest tool call.
            assertThat(event.spanId()).isEqualTo(allNamed(turn1, Event.TOOL_EXECUTION).getLast().spanId());
        });
        JsonNode requestData = named(turn2, Event.LLM_CALL_START).attributes().path("llm.request.data");
        assertThat(requestData.path("messages")).isEqualTo(sliceFrom(json("[" + toolTurn + "]"), 2));
        assertThat(requestData.path("_cylestio_metadata")).isEqualTo(json(
                "{\"total_messages\":5,\"new_messages\":3,\"from_index\":2,\"external_session\":false}"));
        assertThat(requestData.path("tools")).isEqualTo(json(chatWithTools(toolTurn)).path("tools"));

        // The same request again (a client retry): nothing in it is new, so only its answer is reported.
        HttpResponse<String> retry = post("/v1/chat/completions", chatWithTools(toolTurn));
        List<Event> retried = events.awaitNamesFrom(turn1.size() + turn2.size(), Event.LLM_CALL_FINISH);

        HttpResponse<String> third = post("/v1/chat/completions", chatWithTools(closing));
        List<Event> turn3 = events.awaitNamesFrom(turn1.size() + turn2.size() + retried.size(),
                Event.LLM_CALL_START, Event.LLM_CALL_FINISH);
        assertThat(named(turn3, Event.LLM_CALL_START).attributes().path("llm.request.data").path("_cylestio_metadata"))
                .isEqualTo(json("{\"total_messages\":7,\"new_messages\":2,\"from_index\":5,\"external_session\":false}"));
        assertThat(named(turn3, Event.LLM_CALL_START).attributes().path("llm.request.data").path("messages"))
                .isEqualTo(sliceFrom(json("[" + closing + "]"), 5));

        String sessionId = sessionOf(first);
        assertThat(List.of(sessionOf(second), sessionOf(retry), sessionOf(third))).containsOnly(sessionId);
        List<Event> all = events.all();
        assertThat(all).extracting(Event::sessionId).containsOnly(sessionId);
        assertThat(all).extracting(Event::traceId).containsOnly(Event.traceId(sessionId));
        assertThat(all).extracting(Event::eventId).doesNotHaveDuplicates();
        assertThat(allNamed(all, Event.TOOL_RESULT)).hasSize(2);
        assertThat(allNamed(all, Event.LLM_CALL_START)).hasSize(3);
    }

    @Test
    void theDeprecatedFunctionsApiReportsItsCallsAndResultsToo() throws Exception {
        startGateway(null);
        String opening = "{\"role\":\"user\",\"content\":\"What time is it in Oslo?\"}";
        upstream.on("POST", "/v1/chat/completions", FakeUpstream.sse(goldenEvents("openai-chat", "legacy-function-call"), 0));
        post("/v1/chat/completions", "{\"model\":\"gpt-3.5-turbo\",\"stream\":true,\"messages\":[" + opening + "],"
                + "\"functions\":[{\"name\":\"get_time\",\"parameters\":{\"type\":\"object\"}}]}");
        List<Event> turn1 = events.awaitNames(Event.SESSION_START, Event.LLM_CALL_START, Event.LLM_CALL_FINISH,
                Event.TOOL_EXECUTION);
        Event call = named(turn1, Event.TOOL_EXECUTION);
        assertThat(call.attributes().path("tool.name").asText()).isEqualTo("get_time");
        assertThat(call.attributes().path("tool.params")).isEqualTo(json("{\"city\":\"Oslo\"}"));

        upstream.clearOverrides();
        post("/v1/chat/completions", "{\"model\":\"gpt-3.5-turbo\",\"messages\":[" + opening
                + ",{\"role\":\"assistant\",\"content\":null,\"function_call\":{\"name\":\"get_time\",\"arguments\":\"{\\\"city\\\": \\\"Oslo\\\"}\"}}"
                + ",{\"role\":\"function\",\"name\":\"get_time\",\"content\":\"14:05\"}]}");
        Event result = named(events.awaitNamesFrom(turn1.size(), Event.TOOL_RESULT, Event.LLM_CALL_START, Event.LLM_CALL_FINISH),
                Event.TOOL_RESULT);
        assertThat(result.attributes().path("tool.name").asText()).isEqualTo("get_time");
        assertThat(result.attributes().path("tool.result").asText()).isEqualTo("14:05");
    }

    @Test
    void anthropicToolResultsCarryTheirNamesAndErrorsAndStreamsReportLikePlainCalls() throws Exception {
        startGateway(null);
        String opening = "{\"role\":\"user\",\"content\":\"Weather and local time in Florence?\"}";
        String toolTurn = opening + """
                ,{"role":"assistant","content":[{"type":"text","text":"Checking both."},
                  {"type":"tool_use","id":"toolu_A","name":"get_weather","input":{"city":"Florence"}},
                  {"type":"tool_use","id":"toolu_B","name":"get_time","input":{"city":"Florence"}}]},
                 {"role":"user","content":[
                  {"type":"tool_result","tool_use_id":"toolu_A","content":"21°C"},
                  {"type":"tool_result","tool_use_id":"toolu_B","content":[{"type":"text","text":"time service down"}],"is_error":true}]}""";
        upstream.on("POST", "/v1/messages", FakeUpstream.respond(200, "application/json", """
                {"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929",
                 "content":[{"type":"text","text":"Checking both."},
                  {"type":"tool_use","id":"toolu_A","name":"get_weather","input":{"city":"Florence"}},
                  {"type":"tool_use","id":"toolu_B","name":"get_time","input":{"city":"Florence"}}],
                 "stop_reason":"tool_use","stop_sequence":null,"usage":{"input_tokens":40,"output_tokens":30}}"""));
        HttpResponse<String> first = post("/anthropic/v1/messages", messages(opening, false));
        List<Event> turn1 = events.awaitNames(Event.SESSION_START, Event.LLM_CALL_START, Event.LLM_CALL_FINISH,
                Event.TOOL_EXECUTION, Event.TOOL_EXECUTION);
        assertThat(allNamed(turn1, Event.TOOL_EXECUTION)).extracting(event -> event.attributes().path("tool.params"))
                .containsOnly(json("{\"city\":\"Florence\"}"));

        upstream.on("POST", "/v1/messages", FakeUpstream.sse(goldenEvents("anthropic-messages", "plain-text"), 0));
        HttpResponse<String> second = post("/anthropic/v1/messages", messages(toolTurn, true));
        List<Event> turn2 = events.awaitNamesFrom(turn1.size(), Event.TOOL_RESULT, Event.TOOL_RESULT,
                Event.LLM_CALL_START, Event.LLM_CALL_FINISH);

        assertThat(sessionOf(second)).isEqualTo(sessionOf(first));
        List<Event> results = allNamed(turn2, Event.TOOL_RESULT);
        assertThat(results.get(0).attributes().path("tool.name").asText()).isEqualTo("get_weather");
        assertThat(results.get(0).attributes().path("tool.status").asText()).isEqualTo("success");
        assertThat(results.get(0).attributes().path("tool.result").asText()).isEqualTo("21°C");
        assertThat(results.get(1).attributes().path("tool.name").asText()).isEqualTo("get_time");
        assertThat(results.get(1).attributes().path("tool.status").asText()).isEqualTo("error");
        assertThat(results.get(1).attributes().path("tool.result"))
                .isEqualTo(json("[{\"type\":\"text\",\"text\":\"time service down\"}]"));
        Event finish = named(turn2, Event.LLM_CALL_FINISH);
        assertThat(finish.attributes().path("llm.response.content"))
                .isEqualTo(json("[{\"type\":\"text\",\"text\":\"Grüß dich! Wie geht's? 🌍\"}]"));
        assertThat(finish.attributes().path("llm.usage.total_tokens").asLong()).isEqualTo(40);
        assertThat(finish.attributes().path("llm.response.stop_reason").asText()).isEqualTo("end_turn");
    }

    @Test
    void aResponsesFollowUpByPreviousResponseIdNamesTheToolItAnswers() throws Exception {
        startGateway(null);
        upstream.on("POST", "/v1/responses", FakeUpstream.respond(200, "application/json",
                golden("openai-responses", "text-and-function-call-completed.json")));
        HttpResponse<String> first = post("/v1/responses", """
                {"model":"gpt-4.1","input":"Weather in Zürich?","tools":[{"type":"function","name":"get_weather","parameters":{"type":"object"}}]}""");
        List<Event> turn1 = events.awaitNames(Event.SESSION_START, Event.LLM_CALL_START, Event.LLM_CALL_FINISH,
                Event.TOOL_EXECUTION);

        upstream.clearOverrides();
        HttpResponse<String> second = post("/v1/responses", """
                {"model":"gpt-4.1","previous_response_id":"resp_68a1f0c2d4e88190a7b3c9d2e1f00a1b0c2d4e6f8a1b3c5d",
                 "input":[{"type":"function_call_output","call_id":"call_Q7wLx2Ab9","output":"{\\"temp\\":21}"}]}""");
        List<Event> turn2 = events.awaitNamesFrom(turn1.size(), Event.TOOL_RESULT, Event.LLM_CALL_START,
                Event.LLM_CALL_FINISH);

        assertThat(sessionOf(second)).isEqualTo(sessionOf(first));
        Event result = named(turn2, Event.TOOL_RESULT);
        assertThat(result.attributes().path("tool.name").asText()).isEqualTo("get_weather");
        assertThat(result.attributes().path("tool.result").asText()).isEqualTo("{\"temp\":21}");
        assertThat(named(turn2, Event.LLM_CALL_START).attributes().path("llm.request.data").path("input"))
                .isEqualTo(json("[{\"type\":\"function_call_output\",\"call_id\":\"call_Q7wLx2Ab9\",\"output\":\"{\\\"temp\\\":21}\"}]"));
    }

    @Test
    void clientGivenSessionIdsHoldTheSessionAndNameItsTrace() throws Exception {
        startGateway(null);
        String opening = "{\"role\":\"user\",\"content\":\"Open ticket 42\"}";
        String grown = opening + ",{\"role\":\"assistant\",\"content\":\"Opened.\"},{\"role\":\"user\",\"content\":\"Close it\"}";

        post("/v1/chat/completions", chat(opening), Map.of("x-gatehouse-session-id", "ticket-42"));
        List<Event> turn1 = events.awaitNames(Event.SESSION_START, Event.LLM_CALL_START, Event.LLM_CALL_FINISH);
        post("/v1/chat/completions", chat(grown), Map.of("x-gatehouse-session-id", "ticket-42"));
        List<Event> turn2 = events.awaitNamesFrom(turn1.size(), Event.LLM_CALL_START, Event.LLM_CALL_FINISH);
        // The seed's rule: a call in a client-named session always reports its start, even with nothing new.
        post("/v1/chat/completions", chat(grown), Map.of("x-gatehouse-session-id", "ticket-42"));
        List<Event> turn3 = events.awaitNamesFrom(turn1.size() + turn2.size(), Event.LLM_CALL_START, Event.LLM_CALL_FINISH);

        assertThat(events.all()).extracting(Event::sessionId).containsOnly("ticket-42");
        assertThat(events.all()).extracting(Event::traceId).containsOnly(Event.traceId("ticket-42"));
        assertThat(named(turn2, Event.LLM_CALL_START).attributes().path("llm.request.data").path("_cylestio_metadata"))
                .isEqualTo(json("{\"total_messages\":3,\"new_messages\":2,\"from_index\":1,\"external_session\":true}"));
        assertThat(named(turn3, Event.LLM_CALL_START).attributes().path("llm.request.data").path("messages")).isEmpty();

        int before = events.size();
        post("/anthropic/v1/messages", messages(opening, false),
                Map.of("x-cylestio-session-id", "legacy-7", "anthropic-version", "2023-06-01"));
        List<Event> legacy = events.awaitNamesFrom(before, Event.SESSION_START, Event.LLM_CALL_START, Event.LLM_CALL_FINISH);
        assertThat(legacy).extracting(Event::sessionId).containsOnly("legacy-7");
        assertThat(legacy).extracting(Event::traceId).containsOnly(Event.traceId("legacy-7"));
        assertThat(named(legacy, Event.LLM_CALL_FINISH).attributes().path("llm.vendor").asText()).isEqualTo("anthropic");
    }

    @Test
    void theAgentHeaderTagsAndWorkflowPathReachTheEvents() throws Exception {
        startGateway(null);

        post("/agent-workflow/wf-7/v1/chat/completions", chatWithTools("{\"role\":\"user\",\"content\":\"weather in Oslo\"}"),
                Map.of("x-gatehouse-agent-id", "planner", "x-gatehouse-tags", "team:search,beta"));

        List<Event> emitted = events.awaitNames(Event.SESSION_START, Event.LLM_CALL_START, Event.LLM_CALL_FINISH,
                Event.TOOL_EXECUTION);
        assertThat(emitted).extracting(Event::agentId).containsOnly("planner");
        assertThat(emitted).extracting(event -> event.attributes().path("tags"))
                .containsOnly(json("{\"team\":\"search\",\"beta\":\"true\"}"));
        assertThat(named(emitted, Event.LLM_CALL_FINISH).attributes().path("agent_workflow.id").asText()).isEqualTo("wf-7");
        assertThat(named(emitted, Event.TOOL_EXECUTION).attributes().path("agent_workflow.id").asText()).isEqualTo("wf-7");
    }

    @Test
    void interleavedConversationsKeepTheirEventsApart() throws Exception {
        startGateway(null);
        int conversations = 20;
        upstream.on("POST", "/v1/chat/completions", request -> {
            // Answers arrive out of order, so calls overlap while their events are being built.
            long delay = 5 + (long) (Math.random() * 40);
            vertx.setTimer(delay, id -> FakeUpstream.respond(200, "application/json",
                    golden("openai-chat", "parallel-tool-calls.json")).handle(request));
        });

        List<CompletableFuture<HttpResponse<String>>> calls = IntStream.range(0, conversations)
                .mapToObj(index -> HTTP.sendAsync(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/chat/completions"))
                        .header("content-type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(chat("{\"role\":\"user\",\"content\":\"question " + index + "\"}")))
                        .build(), HttpResponse.BodyHandlers.ofString()))
                .toList();
        List<String> sessionIds = calls.stream().map(CompletableFuture::join).map(EventsAcrossTurnsTest::sessionOf).toList();

        await().atMost(Duration.ofSeconds(5)).until(() -> events.size() == conversations * 5);
        assertThat(sessionIds).doesNotHaveDuplicates();
        Map<String, List<Event>> bySession = events.all().stream().collect(Collectors.groupingBy(Event::sessionId));
        assertThat(bySession.keySet()).containsExactlyInAnyOrderElementsOf(sessionIds);
        bySession.forEach((sessionId, sessionEvents) -> {
            assertThat(sessionEvents).extracting(Event::name).containsExactly(Event.SESSION_START, Event.LLM_CALL_START,
                    Event.LLM_CALL_FINISH, Event.TOOL_EXECUTION, Event.TOOL_EXECUTION);
            assertThat(sessionEvents).extracting(Event::traceId).containsOnly(Event.traceId(sessionId));
            assertThat(sessionEvents.get(2).spanId()).isEqualTo(sessionEvents.get(1).spanId());
            String question = sessionEvents.get(1).attributes().path("llm.request.data").path("messages").path(0).path("content").asText();
            assertThat(sessionIds.get(Integer.parseInt(question.substring("question ".length())))).isEqualTo(sessionId);
        });
        assertThat(events.all()).extracting(Event::eventId).doesNotHaveDuplicates();
    }

    @Test
    void anExpiredSessionEndsWithItsDurationAndEventCount() throws Exception {
        startGateway(new SessionConfig(null, null, 1L, null, null, null, null));

        HttpResponse<String> response = post("/v1/chat/completions", chat("{\"role\":\"user\",\"content\":\"hi\"}"));

        String sessionId = sessionOf(response);
        // The gateway's own periodic expiry (every ttl/4) ends it once it has been idle for the TTL.
        List<Event> all = events.awaitNames(Event.SESSION_START, Event.LLM_CALL_START, Event.LLM_CALL_FINISH, Event.SESSION_END);
        Event end = named(all, Event.SESSION_END);
        assertThat(end.sessionId()).isEqualTo(sessionId);
        assertThat(end.traceId()).isEqualTo(Event.traceId(sessionId));
        assertThat(end.agentId()).isEqualTo(all.getFirst().agentId());
        assertThat(end.attributes().path("session.events_count").asInt()).isEqualTo(3);
        assertThat(end.attributes().path("session.end_reason").asText()).isEqualTo("expired");
        long lifetime = Duration.between(Instant.parse(all.getFirst().timestamp()),
                Instant.parse(all.get(2).timestamp())).toMillis();
        // Its lifetime from first to last event, not the idle second that ended it.
        assertThat(end.attributes().path("session.duration_ms").asLong()).isCloseTo(lifetime, within(1L));
        assertThat(gateway.gateway().sessions().expireIdleSessions()).isZero();
        assertThat(allNamed(events.all(), Event.SESSION_END)).hasSize(1);
    }

    @Test
    void aSessionPushedOutByTheLimitEndsAsEvicted() throws Exception {
        startGateway(new SessionConfig(null, 1, null, null, null, null, null));

        HttpResponse<String> first = post("/v1/chat/completions", chat("{\"role\":\"user\",\"content\":\"first\"}"));
        events.awaitNames(Event.SESSION_START, Event.LLM_CALL_START, Event.LLM_CALL_FINISH);
        post("/v1/chat/completions", chat("{\"role\":\"user\",\"content\":\"second\"}"));

        List<Event> all = events.awaitNames(Event.SESSION_START, Event.LLM_CALL_START, Event.LLM_CALL_FINISH,
                Event.SESSION_END, Event.SESSION_START, Event.LLM_CALL_START, Event.LLM_CALL_FINISH);
        Event end = named(all, Event.SESSION_END);
        assertThat(end.sessionId()).isEqualTo(sessionOf(first));
        assertThat(end.attributes().path("session.end_reason").asText()).isEqualTo("evicted");
    }

    private static JsonNode sliceFrom(JsonNode array, int from) {
        ArrayNode slice = Json.MAPPER.createArrayNode();
        for (int index = from; index < array.size(); index++) {
            slice.add(array.get(index));
        }
        return slice;
    }

    private static String chat(String messages) {
        return "{\"model\":\"gpt-4o\",\"messages\":[" + messages + "]}";
    }

    private static String chatWithTools(String messages) {
        return """
                {"model":"gpt-4o","messages":[%s],
                 "tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object"}}}]}"""
                .formatted(messages);
    }

    private static String messages(String messages, boolean stream) {
        return "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":512,\"stream\":" + stream + ",\"messages\":[" + messages + "]}";
    }
}
