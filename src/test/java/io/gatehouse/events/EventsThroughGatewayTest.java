package io.gatehouse.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.pipeline.Json;
import io.gatehouse.session.ApiFormat;
import io.gatehouse.testing.FakeUpstream;
import io.gatehouse.testing.GatewayTestSupport;
import io.gatehouse.testing.TestGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URISyntaxException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.gatehouse.events.EventCapture.allNamed;
import static io.gatehouse.events.EventCapture.comparable;
import static io.gatehouse.events.EventCapture.goldenEvents;
import static io.gatehouse.events.EventCapture.goldenJson;
import static io.gatehouse.events.EventCapture.json;
import static io.gatehouse.events.EventCapture.named;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Events of single calls, through a real gateway in front of a fake provider replaying recorded answers (the
 * golden transcripts): plain and streamed in each API, the provider's errors, errors and cuts inside streams,
 * clients that leave, and calls that hold no conversation.
 */
class EventsThroughGatewayTest extends GatewayTestSupport {
    private static final String OPENAI_KEY = "sk-upstream-openai-0123456789abcdefghij";
    private static final String ANTHROPIC_KEY = "sk-ant-upstream-0123456789abcdefghij";
    private static final String SYSTEM = "You are a weather bot";

    private FakeUpstream upstream;
    private TestGateway.Running gateway;
    private EventCapture events;

    /** One API as the tests drive it: where it is served, the golden answer used, and what that answer holds. */
    enum Api {
        OPENAI_CHAT("openai-chat", "/v1/chat/completions", "/v1/chat/completions", "openai", "parallel-tool-calls",
                "gpt-4o", "gpt-4o-2024-08-06", "llm.response.finish_reason", "tool_calls", 82, 47, 129) {
            @Override
            String request(boolean stream) {
                return """
                        {"model":"gpt-4o","stream":%s,"messages":[{"role":"system","content":"%s"},
                         {"role":"user","content":"Weather in Paris and the forecast for Tokyo?"}],
                         "tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object"}}},
                                  {"type":"function","function":{"name":"get_forecast","parameters":{"type":"object"}}}]}
                        """.formatted(stream, SYSTEM);
            }

            @Override
            List<ExpectedToolCall> toolCalls() {
                return List.of(new ExpectedToolCall("call_Xa1", "get_weather", "{\"location\":\"Paris, France\",\"unit\":\"celsius\"}"),
                        new ExpectedToolCall("call_Yb2", "get_forecast", "{\"location\":\"Tōkyō\",\"unit\":\"celsius\",\"days\":[1,2]}"));
            }
        },
        OPENAI_RESPONSES("openai-responses", "/v1/responses", "/v1/responses", "openai", "text-and-function-call-completed",
                "gpt-4.1", "gpt-4.1-2025-04-14", "llm.response.finish_reason", "completed", 2310, 41, 2351) {
            @Override
            String request(boolean stream) {
                return """
                        {"model":"gpt-4.1","stream":%s,"instructions":"%s",
                         "input":[{"role":"user","content":"Weather in Zürich?"}],
                         "tools":[{"type":"function","name":"get_weather","parameters":{"type":"object"}}]}
                        """.formatted(stream, SYSTEM);
            }

            @Override
            List<ExpectedToolCall> toolCalls() {
                return List.of(new ExpectedToolCall("call_Q7wLx2Ab9", "get_weather", "{\"city\":\"Zürich\"}"));
            }
        },
        ANTHROPIC_MESSAGES("anthropic-messages", "/anthropic/v1/messages", "/v1/messages", "anthropic", "thinking-text-tool-use",
                "claude-sonnet-4-5", "claude-sonnet-4-5-20250929", "llm.response.stop_reason", "tool_use", 778, 312, 1090) {
            @Override
            String request(boolean stream) {
                return """
                        {"model":"claude-sonnet-4-5","max_tokens":1024,"stream":%s,"system":"%s",
                         "messages":[{"role":"user","content":"Weather in Florence?"}],
                         "tools":[{"name":"get_weather","input_schema":{"type":"object"}}]}
                        """.formatted(stream, SYSTEM);
            }

            @Override
            List<ExpectedToolCall> toolCalls() {
                return List.of(new ExpectedToolCall("toolu_01T1x1fJ34qAmk2tNTrN7Up6", "get_weather",
                        "{\"location\":\"Florence, Italy\",\"unit\":\"celsius\"}"));
            }
        };

        final String goldenDir;
        final String gatewayPath;
        final String upstreamPath;
        final String vendor;
        final String golden;
        final String requestModel;
        final String responseModel;
        final String reasonAttribute;
        final String reason;
        final long inputTokens;
        final long outputTokens;
        final long totalTokens;

        Api(String goldenDir, String gatewayPath, String upstreamPath, String vendor, String golden, String requestModel,
            String responseModel, String reasonAttribute, String reason, long inputTokens, long outputTokens,
            long totalTokens) {
            this.goldenDir = goldenDir;
            this.gatewayPath = gatewayPath;
            this.upstreamPath = upstreamPath;
            this.vendor = vendor;
            this.golden = golden;
            this.requestModel = requestModel;
            this.responseModel = responseModel;
            this.reasonAttribute = reasonAttribute;
            this.reason = reason;
            this.inputTokens = inputTokens;
            this.outputTokens = outputTokens;
            this.totalTokens = totalTokens;
        }

        abstract String request(boolean stream);

        abstract List<ExpectedToolCall> toolCalls();

        String[] successNames() {
            Stream<String> head = Stream.of(Event.SESSION_START, Event.LLM_CALL_START, Event.LLM_CALL_FINISH);
            return Stream.concat(head, toolCalls().stream().map(call -> Event.TOOL_EXECUTION)).toArray(String[]::new);
        }
    }

    record ExpectedToolCall(String id, String name, String params) {
    }

    @BeforeEach
    void start() {
        upstream = FakeUpstream.start(vertx);
        gateway = TestGateway.builder().provider("openai", "openai", upstream.baseUrl(), OPENAI_KEY)
                .provider("anthropic", "anthropic", upstream.baseUrl(), ANTHROPIC_KEY).start();
        events = EventCapture.on(gateway);
    }

    @AfterEach
    void stop() {
        gateway.close();
        upstream.close();
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return postJson(gateway.baseUrl() + path, body, Map.of("anthropic-version", "2023-06-01"));
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void aPlainCallReportsContentUsageAndToolCalls(Api api) throws Exception {
        JsonNode answer = goldenJson(api.goldenDir, api.golden + ".json");
        upstream.on("POST", api.upstreamPath, FakeUpstream.respond(200, "application/json", answer.toString()));

        HttpResponse<String> response = post(api.gatewayPath, api.request(false));

        assertThat(response.statusCode()).isEqualTo(200);
        List<Event> emitted = events.awaitNames(api.successNames());
        String sessionId = response.headers().firstValue("x-gatehouse-session-id").orElseThrow();
        assertThat(emitted).allSatisfy(event -> {
            assertThat(event.sessionId()).isEqualTo(sessionId);
            assertThat(event.attributes().path("session.id").asText()).isEqualTo(sessionId);
            assertThat(event.traceId()).isEqualTo(Event.traceId(sessionId));
            assertThat(event.agentId()).isEqualTo(response.headers().firstValue("x-gatehouse-agent-id").orElseThrow());
            assertThat(event.level()).isEqualTo(Event.INFO);
        });

        JsonNode request = json(api.request(false));
        ObjectNode sessionStart = named(emitted, Event.SESSION_START).attributes();
        assertThat(sessionStart.path("client.type").asText()).isEqualTo("gateway");
        assertThat(sessionStart.path("llm.vendor").asText()).isEqualTo(api.vendor);
        assertThat(sessionStart.path("llm.model").asText()).isEqualTo(api.requestModel);
        assertThat(sessionStart.path("prompt").asText()).isEqualTo(SYSTEM);
        assertThat(sessionStart.path("tools")).isEqualTo(request.path("tools"));

        Event callStart = named(emitted, Event.LLM_CALL_START);
        assertThat(callStart.attributes().path("llm.vendor").asText()).isEqualTo(api.vendor);
        assertThat(callStart.attributes().path("llm.model").asText()).isEqualTo(api.requestModel);
        JsonNode requestData = callStart.attributes().path("llm.request.data");
        assertThat(requestData.path("model").asText()).isEqualTo(api.requestModel);
        assertThat(requestData.path("_cylestio_metadata")).isEqualTo(json(
                "{\"total_messages\":" + (api == Api.OPENAI_CHAT ? 2 : 1)
                        + ",\"new_messages\":" + (api == Api.OPENAI_CHAT ? 2 : 1)
                        + ",\"from_index\":0,\"external_session\":false}"));

        Event finish = named(emitted, Event.LLM_CALL_FINISH);
        assertThat(finish.spanId()).isEqualTo(callStart.spanId());
        ObjectNode attributes = finish.attributes();
        assertThat(attributes.path("llm.vendor").asText()).isEqualTo(api.vendor);
        assertThat(attributes.path("llm.model").asText()).isEqualTo(api.responseModel);
        assertThat(attributes.path("llm.usage.input_tokens").asLong()).isEqualTo(api.inputTokens);
        assertThat(attributes.path("llm.usage.output_tokens").asLong()).isEqualTo(api.outputTokens);
        assertThat(attributes.path("llm.usage.total_tokens").asLong()).isEqualTo(api.totalTokens);
        assertThat(attributes.path(api.reasonAttribute).asText()).isEqualTo(api.reason);
        assertThat(attributes.path("llm.response.content")).isEqualTo(LlmPayloads.content(formatOf(api), answer));
        assertThat(attributes.path("llm.response.duration_ms").isNumber()).isTrue();
        assertThat(attributes.path("llm.response.id").asText()).isEqualTo(answer.path("id").asText());
        if (api == Api.OPENAI_CHAT) {
            assertThat(attributes.path("llm.response.system_fingerprint").asText()).isEqualTo("fp_90d33c15d4");
        }

        List<Event> toolEvents = allNamed(emitted, Event.TOOL_EXECUTION);
        assertThat(toolEvents).hasSameSizeAs(api.toolCalls());
        for (int index = 0; index < toolEvents.size(); index++) {
            ExpectedToolCall expected = api.toolCalls().get(index);
            ObjectNode tool = toolEvents.get(index).attributes();
            assertThat(tool.path("tool.name").asText()).isEqualTo(expected.name());
            assertThat(tool.path("tool.call_id").asText()).isEqualTo(expected.id());
            assertThat(tool.path("tool.params")).isEqualTo(json(expected.params()));
        }
        assertThat(emitted).extracting(Event::eventId).doesNotHaveDuplicates();
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void aStreamedCallFinishesExactlyAsThePlainOne(Api api) throws Exception {
        upstream.on("POST", api.upstreamPath, FakeUpstream.respond(200, "application/json",
                goldenJson(api.goldenDir, api.golden + ".json").toString()));
        post(api.gatewayPath, api.request(false));
        List<Event> plain = events.awaitNames(api.successNames());

        upstream.on("POST", api.upstreamPath, FakeUpstream.sse(goldenEvents(api.goldenDir, api.golden), 0));
        HttpResponse<String> streamed = post(api.gatewayPath, api.request(true));

        assertThat(streamed.headers().firstValue("content-type").orElseThrow()).startsWith("text/event-stream");
        List<Event> fromStream = events.awaitNamesFrom(plain.size(), api.successNames());
        assertThat(comparable(named(fromStream, Event.LLM_CALL_FINISH)))
                .isEqualTo(comparable(named(plain, Event.LLM_CALL_FINISH)));
        assertThat(allNamed(fromStream, Event.TOOL_EXECUTION)).map(EventCapture::comparable)
                .isEqualTo(allNamed(plain, Event.TOOL_EXECUTION).stream().map(EventCapture::comparable).toList());
        assertThat(named(fromStream, Event.LLM_CALL_START).attributes().path("llm.request.data").path("stream").asBoolean())
                .isTrue();
    }

    /** Every golden answer that ends properly, in every API: they hold refusals, two choices, cached usage, thinking… */
    static Stream<Arguments> completeGoldens() {
        return Stream.of(Api.values()).flatMap(api -> {
            try (Stream<Path> files = Files.list(Path.of(
                    EventsThroughGatewayTest.class.getClassLoader().getResource("golden/" + api.goldenDir).toURI()))) {
                return files.map(file -> file.getFileName().toString()).filter(name -> name.endsWith(".sse"))
                        .map(name -> name.substring(0, name.length() - ".sse".length()))
                        .filter(name -> !name.startsWith("cut-") && !name.startsWith("error-") && !name.startsWith("failed-"))
                        .sorted().map(name -> Arguments.of(api, name)).toList().stream();
            } catch (IOException | URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("completeGoldens")
    void everyRecordedStreamReportsWhatItsPlainAnswerReports(Api api, String golden) throws Exception {
        JsonNode answer = goldenJson(api.goldenDir, golden + ".json");
        int toolCalls = LlmPayloads.toolCalls(formatOf(api), answer).size();
        String[] names = Stream.concat(Stream.of(Event.SESSION_START, Event.LLM_CALL_START, Event.LLM_CALL_FINISH),
                Stream.generate(() -> Event.TOOL_EXECUTION).limit(toolCalls)).toArray(String[]::new);
        upstream.on("POST", api.upstreamPath, FakeUpstream.respond(200, "application/json", answer.toString()));
        post(api.gatewayPath, api.request(false));
        List<Event> plain = events.awaitNames(names);

        upstream.on("POST", api.upstreamPath, FakeUpstream.sse(goldenEvents(api.goldenDir, golden), 0));
        post(api.gatewayPath, api.request(true));
        List<Event> fromStream = events.awaitNamesFrom(plain.size(), names);

        assertThat(comparable(named(fromStream, Event.LLM_CALL_FINISH)))
                .isEqualTo(comparable(named(plain, Event.LLM_CALL_FINISH)));
        assertThat(allNamed(fromStream, Event.TOOL_EXECUTION)).map(EventCapture::comparable)
                .isEqualTo(allNamed(plain, Event.TOOL_EXECUTION).stream().map(EventCapture::comparable).toList());
    }

    @Test
    void aRefusalAndAStopSequenceAreReported() throws Exception {
        upstream.on("POST", "/v1/chat/completions", FakeUpstream.sse(goldenEvents("openai-chat", "refusal"), 0));
        post(Api.OPENAI_CHAT.gatewayPath, "{\"model\":\"gpt-4o\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
        Event refusal = named(events.awaitNames(Event.SESSION_START, Event.LLM_CALL_START, Event.LLM_CALL_FINISH),
                Event.LLM_CALL_FINISH);
        assertThat(refusal.attributes().path("llm.response.refusal").asText())
                .isEqualTo(goldenJson("openai-chat", "refusal.json").path("choices").path(0).path("message").path("refusal").asText())
                .isNotBlank();

        upstream.on("POST", "/v1/messages", FakeUpstream.sse(goldenEvents("anthropic-messages", "redacted-thinking-stop-sequence"), 0));
        post(Api.ANTHROPIC_MESSAGES.gatewayPath, "{\"model\":\"claude\",\"max_tokens\":10,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
        Event stopped = named(events.awaitNamesFrom(3, Event.SESSION_START, Event.LLM_CALL_START, Event.LLM_CALL_FINISH),
                Event.LLM_CALL_FINISH);
        assertThat(stopped.attributes().path("llm.response.stop_reason").asText()).isEqualTo("stop_sequence");
        assertThat(stopped.attributes().path("llm.response.stop_sequence").asText())
                .isEqualTo(goldenJson("anthropic-messages", "redacted-thinking-stop-sequence.json").path("stop_sequence").asText())
                .isNotBlank();
    }

    static Stream<Arguments> upstreamErrors() {
        return Stream.of(
                Arguments.of(Api.OPENAI_CHAT, 400, "{\"error\":{\"message\":\"max_tokens is too large\",\"type\":\"invalid_request_error\",\"param\":\"max_tokens\",\"code\":null}}",
                        "invalid_request_error", "max_tokens is too large"),
                Arguments.of(Api.OPENAI_CHAT, 500, "", "server_error", "HTTP 500"),
                Arguments.of(Api.OPENAI_RESPONSES, 401, "{\"error\":{\"message\":\"Incorrect API key provided\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"invalid_api_key\"}}",
                        "invalid_request_error", "Incorrect API key provided"),
                Arguments.of(Api.ANTHROPIC_MESSAGES, 529, "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}",
                        "overloaded_error", "Overloaded"),
                Arguments.of(Api.ANTHROPIC_MESSAGES, 429, "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"Number of requests has exceeded your rate limit\"}}",
                        "rate_limit_error", "Number of requests has exceeded your rate limit"));
    }

    @ParameterizedTest
    @MethodSource("upstreamErrors")
    void anErrorAnswerIsAnErrorEventWithTheProvidersTypeAndStatus(Api api, int status, String body, String type,
                                                                   String message) throws Exception {
        upstream.on("POST", api.upstreamPath, FakeUpstream.respond(status, body.isEmpty() ? null : "application/json", body));

        for (boolean stream : new boolean[]{false, true}) {
            int before = events.size();
            HttpResponse<String> response = post(api.gatewayPath, api.request(stream));

            assertThat(response.statusCode()).isEqualTo(status);
            List<Event> emitted = events.awaitNamesFrom(before, Event.SESSION_START, Event.LLM_CALL_START, Event.LLM_CALL_ERROR);
            Event error = named(emitted, Event.LLM_CALL_ERROR);
            assertThat(error.level()).isEqualTo(Event.ERROR);
            assertThat(error.spanId()).isEqualTo(named(emitted, Event.LLM_CALL_START).spanId());
            assertThat(error.attributes().path("error.type").asText()).isEqualTo(type);
            assertThat(error.attributes().path("error.message").asText()).isEqualTo(message);
            assertThat(error.attributes().path("http.status_code").asInt()).isEqualTo(status);
            assertThat(error.attributes().path("llm.vendor").asText()).isEqualTo(api.vendor);
            assertThat(error.attributes().path("llm.model").asText()).isEqualTo(api.requestModel);
        }
    }

    static Stream<Arguments> errorsInsideStreams() {
        return Stream.of(
                Arguments.of(Api.OPENAI_CHAT, "error-mid-stream", "server_error",
                        "The server had an error while processing your request. Sorry about that!"),
                Arguments.of(Api.OPENAI_RESPONSES, "error-event-mid-stream", "server_error",
                        "An error occurred while processing your request. You can retry your request."),
                Arguments.of(Api.OPENAI_RESPONSES, "failed-response", "server_error",
                        "The model produced invalid content. Consider modifying your prompt if you are seeing this error persistently."),
                Arguments.of(Api.ANTHROPIC_MESSAGES, "error-overloaded-mid-stream", "overloaded_error", "Overloaded"));
    }

    @ParameterizedTest
    @MethodSource("errorsInsideStreams")
    void anErrorInsideAStreamIsAnErrorEventNotAFinish(Api api, String golden, String type, String message) throws Exception {
        upstream.on("POST", api.upstreamPath, FakeUpstream.sse(goldenEvents(api.goldenDir, golden), 0));

        HttpResponse<String> response = post(api.gatewayPath, api.request(true));

        assertThat(response.statusCode()).isEqualTo(200);
        Event error = named(events.awaitNames(Event.SESSION_START, Event.LLM_CALL_START, Event.LLM_CALL_ERROR),
                Event.LLM_CALL_ERROR);
        assertThat(error.level()).isEqualTo(Event.ERROR);
        assertThat(error.attributes().path("error.type").asText()).isEqualTo(type);
        assertThat(error.attributes().path("error.message").asText()).isEqualTo(message);
    }

    static Stream<Arguments> cutStreams() {
        return Stream.of(Arguments.of(Api.OPENAI_CHAT, "cut-mid-tool-call"),
                Arguments.of(Api.OPENAI_RESPONSES, "cut-mid-function-call"),
                Arguments.of(Api.ANTHROPIC_MESSAGES, "cut-mid-tool-input"));
    }

    @ParameterizedTest
    @MethodSource("cutStreams")
    void anUpstreamThatBreaksOffAStreamIsAnErrorEvent(Api api, String golden) throws Exception {
        upstream.on("POST", api.upstreamPath, FakeUpstream.sseThenCut(goldenEvents(api.goldenDir, golden), 0));

        post(api.gatewayPath, api.request(true));

        Event error = named(events.awaitNames(Event.SESSION_START, Event.LLM_CALL_START, Event.LLM_CALL_ERROR),
                Event.LLM_CALL_ERROR);
        assertThat(error.attributes().path("error.type").asText()).isEqualTo("upstream_broken");
        assertThat(error.attributes().path("http.status_code").asInt()).isEqualTo(502);
    }

    @ParameterizedTest
    @MethodSource("cutStreams")
    void aStreamThatEndsWithoutItsTerminatorIsAnErrorEventNotAFinish(Api api, String golden) throws Exception {
        upstream.on("POST", api.upstreamPath, FakeUpstream.sse(goldenEvents(api.goldenDir, golden), 0));

        post(api.gatewayPath, api.request(true));

        Event error = named(events.awaitNames(Event.SESSION_START, Event.LLM_CALL_START, Event.LLM_CALL_ERROR),
                Event.LLM_CALL_ERROR);
        assertThat(error.attributes().path("error.type").asText()).isEqualTo("incomplete_stream");
        assertThat(error.attributes().path("http.status_code").asInt()).isEqualTo(200);
    }

    @Test
    void aClientThatLeavesMidStreamIsAnErrorEvent() throws Exception {
        List<String> slow = Stream.generate(() -> "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,"
                + "\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"word \"},\"finish_reason\":null}]}\n\n")
                .limit(200).toList();
        upstream.on("POST", "/v1/chat/completions", FakeUpstream.sse(slow, 50));

        try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
            sendRequest(socket, Api.OPENAI_CHAT.request(true));
            BufferedReader reader = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            for (String line; (line = reader.readLine()) != null; ) {
                if (line.startsWith("data:")) {
                    break;
                }
            }
        }

        Event error = named(events.awaitNames(Event.SESSION_START, Event.LLM_CALL_START, Event.LLM_CALL_ERROR),
                Event.LLM_CALL_ERROR);
        assertThat(error.attributes().path("error.type").asText()).isEqualTo("client_aborted");
        assertThat(error.level()).isEqualTo(Event.ERROR);
    }

    @Test
    void aClientThatLeavesBeforeTheAnswerIsAnErrorEventWithoutAStatus() throws Exception {
        upstream.on("POST", "/v1/chat/completions", FakeUpstream.hang());

        try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
            sendRequest(socket, Api.OPENAI_CHAT.request(false));
            upstream.takeRequest();
        }

        Event error = named(events.awaitNames(Event.SESSION_START, Event.LLM_CALL_START, Event.LLM_CALL_ERROR),
                Event.LLM_CALL_ERROR);
        assertThat(error.attributes().path("error.type").asText()).isEqualTo("client_aborted");
        assertThat(error.attributes().has("http.status_code")).as("no status was ever sent").isFalse();
    }

    private static void sendRequest(Socket socket, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        OutputStream out = socket.getOutputStream();
        out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
    }

    @Test
    void anUnreachableUpstreamIsAnErrorEventWithTheGatewaysStatus() throws Exception {
        upstream.close();

        HttpResponse<String> response = post(Api.ANTHROPIC_MESSAGES.gatewayPath, Api.ANTHROPIC_MESSAGES.request(false));

        assertThat(response.statusCode()).isEqualTo(502);
        Event error = named(events.awaitNames(Event.SESSION_START, Event.LLM_CALL_START, Event.LLM_CALL_ERROR),
                Event.LLM_CALL_ERROR);
        assertThat(error.attributes().path("error.type").asText()).isEqualTo("upstream_unreachable");
        assertThat(error.attributes().path("http.status_code").asInt()).isEqualTo(502);
        upstream = FakeUpstream.start(vertx);
    }

    @Test
    void callsWithoutAConversationEmitNothing() throws Exception {
        assertThat(getUrl(gateway.baseUrl() + "/v1/models").statusCode()).isEqualTo(200);
        assertThat(post("/v1/embeddings", "{\"model\":\"demo-embedding\",\"input\":\"alpha\"}").statusCode()).isEqualTo(200);
        assertThat(getUrl(gateway.baseUrl() + "/anthropic/v1/models").statusCode()).isEqualTo(200);

        // A conversation call after them: its events are the first the gateway emitted.
        post("/v1/chat/completions", "{\"model\":\"demo-gpt\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        events.awaitNames(Event.SESSION_START, Event.LLM_CALL_START, Event.LLM_CALL_FINISH);
    }

    @Test
    void eventsNeverCarryTheUpstreamKeyOrTheClientsCredentials() throws Exception {
        String clientKey = "sk-client-own-key-abcdefghijklmnop0123";
        postJson(gateway.baseUrl() + "/v1/chat/completions", Api.OPENAI_CHAT.request(false),
                Map.of("authorization", "Bearer " + clientKey, "x-gatehouse-tags", "team:search"));
        postJson(gateway.baseUrl() + "/anthropic/v1/messages", Api.ANTHROPIC_MESSAGES.request(true),
                Map.of("x-api-key", clientKey, "anthropic-version", "2023-06-01"));
        upstream.on("POST", "/v1/chat/completions", FakeUpstream.respond(401, "application/json",
                "{\"error\":{\"message\":\"Incorrect API key provided: sk-upstr*****ghij\",\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}"));
        postJson(gateway.baseUrl() + "/v1/chat/completions", Api.OPENAI_CHAT.request(true),
                Map.of("authorization", "Bearer " + clientKey));

        await().atMost(Duration.ofSeconds(5)).until(() ->
                events.names().stream().filter(name -> name.startsWith("llm.call.f") || name.equals(Event.LLM_CALL_ERROR)).count() == 3);
        String serialized = Json.MAPPER.writeValueAsString(events.all());
        assertThat(serialized).doesNotContain(OPENAI_KEY, ANTHROPIC_KEY, clientKey, "Bearer");
        assertThat(serialized).contains("\"team\":\"search\"");
    }

    private static ApiFormat formatOf(Api api) {
        return ApiFormat.valueOf(api.name());
    }
}
