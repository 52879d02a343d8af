package io.gatehouse.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.pipeline.ErrorKind;
import io.gatehouse.pipeline.GatewayError;
import io.gatehouse.pipeline.GatewayException;
import io.gatehouse.pipeline.Json;
import io.gatehouse.provider.translate.EncodedRequest;
import io.gatehouse.provider.translate.Message;
import io.gatehouse.provider.translate.Part;
import io.gatehouse.provider.translate.Reasoning;
import io.gatehouse.provider.translate.ResponseFormat;
import io.gatehouse.provider.translate.Role;
import io.gatehouse.provider.translate.ToolChoice;
import io.gatehouse.provider.translate.ToolSpec;
import io.gatehouse.provider.translate.UnifiedRequest;
import io.gatehouse.provider.translate.UnifiedResponse;
import io.gatehouse.provider.translate.UnsupportedFeature;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static io.gatehouse.provider.anthropic.TranslationGoldens.FOLDER;
import static io.gatehouse.provider.anthropic.TranslationGoldens.TRANSCRIPTS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MessagesOutboundCodecTest {
    private static final String REQUESTS = FOLDER + "outbound/requests/";
    private static final String RESPONSES = FOLDER + "outbound/responses/";
    private final MessagesOutboundCodec codec = new MessagesOutboundCodec(MessagesOutboundCodec.DEFAULT_MAX_TOKENS);

    static Stream<String> requestGoldens() {
        return TranslationGoldens.names(REQUESTS, ".unified.json");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requestGoldens")
    void encodesUnifiedRequestsAsAnthropicRequests(String name) {
        UnifiedRequest request = TranslationGoldens.unified(REQUESTS + name + ".unified.json", UnifiedRequest.class);
        EncodedRequest encoded = codec.encodeRequest(request);
        assertThat(encoded.path()).isEqualTo("/v1/messages");
        assertThat(encoded.query()).isNull();
        assertThat(encoded.headers()).isEqualTo(Map.of("anthropic-version", "2023-06-01"));
        assertThat(TranslationGoldens.asSent(encoded.body())).isEqualTo(TranslationGoldens.json(REQUESTS + name + ".request.json"));
    }

    static Stream<String> responseGoldens() {
        return TranslationGoldens.names(RESPONSES, ".unified.json");
    }

    /** The inputs are the real unstreamed bodies the stream assembler goldens hold. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("responseGoldens")
    void decodesRealAnthropicMessages(String name) {
        UnifiedResponse response = codec.decodeResponse(TranslationGoldens.json(TRANSCRIPTS + name + ".json"));
        assertThat(TranslationGoldens.unifiedJson(response))
                .isEqualTo(TranslationGoldens.json(RESPONSES + name + ".unified.json"));
    }

    @Test
    void theDefaultMaxTokensIsTheConfiguredOne() {
        MessagesOutboundCodec configured = new MessagesOutboundCodec(777);
        assertThat(configured.encodeRequest(request(r -> r)).body().get("max_tokens").asInt()).isEqualTo(777);
        assertThat(codec.encodeRequest(request(r -> withMaxTokens(r, 50))).body().get("max_tokens").asInt())
                .isEqualTo(50);
        assertThatThrownBy(() -> new MessagesOutboundCodec(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "effort {0} -> budget {1}")
    @CsvSource({"minimal, 1024", "low, 2048", "medium, 8192", "high, 16384"})
    void effortsMapToDocumentedBudgetsAndMaxTokensMakesRoomForThem(String effort, int budget) {
        JsonNode body = codec.encodeRequest(request(r -> withReasoning(withMaxTokens(r, 1024),
                new Reasoning(effort, null)))).body();
        assertThat(body.at("/thinking/budget_tokens").asInt()).isEqualTo(budget);
        assertThat(body.at("/thinking/type").asText()).isEqualTo("enabled");
        assertThat(body.get("max_tokens").asInt()).isGreaterThan(budget);
    }

    @Test
    void budgetsAreKeptRaisedToAnthropicsMinimumOrOffAtZero() {
        assertThat(codec.encodeRequest(request(r -> withReasoning(r, new Reasoning(null, 5000)))).body()
                .at("/thinking/budget_tokens").asInt()).isEqualTo(5000);
        assertThat(codec.encodeRequest(request(r -> withReasoning(r, new Reasoning(null, 100)))).body()
                .at("/thinking/budget_tokens").asInt()).isEqualTo(1024);
        assertThat(codec.encodeRequest(request(r -> withReasoning(r, new Reasoning(null, 0)))).body().has("thinking"))
                .isFalse();
        assertThat(codec.encodeRequest(request(r -> withReasoning(r, new Reasoning("none", null)))).body()
                .has("thinking")).isFalse();
        assertThat(codec.encodeRequest(request(r -> withReasoning(r, new Reasoning("low", 3000)))).body()
                .at("/thinking/budget_tokens").asInt()).as("a budget wins over an effort").isEqualTo(3000);
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of("seed", (UnaryOperator<UnifiedRequest>) r -> new UnifiedRequest(r.model(), r.system(),
                        r.messages(), r.tools(), r.toolChoice(), r.maxTokens(), r.temperature(), r.topP(), r.topK(),
                        r.stop(), 42L, null, null, null, null, null, false, false), "seed"),
                Arguments.of("presence penalty", (UnaryOperator<UnifiedRequest>) r -> new UnifiedRequest(r.model(),
                        r.system(), r.messages(), r.tools(), r.toolChoice(), r.maxTokens(), null, null, null, r.stop(),
                        null, 0.5, null, null, null, null, false, false), "presence_penalty"),
                Arguments.of("frequency penalty", (UnaryOperator<UnifiedRequest>) r -> new UnifiedRequest(r.model(),
                        r.system(), r.messages(), r.tools(), r.toolChoice(), r.maxTokens(), null, null, null, r.stop(),
                        null, null, 0.5, null, null, null, false, false), "frequency_penalty"),
                Arguments.of("json mode", (UnaryOperator<UnifiedRequest>) r -> withFormat(r,
                        new ResponseFormat(ResponseFormat.Kind.JSON_OBJECT, null, null, null)), "json_object"),
                Arguments.of("temperature above 1", (UnaryOperator<UnifiedRequest>) r -> new UnifiedRequest(r.model(),
                        r.system(), r.messages(), r.tools(), r.toolChoice(), r.maxTokens(), 1.5, null, null, r.stop(),
                        null, null, null, null, null, null, false, false), "temperature"),
                Arguments.of("unknown effort", (UnaryOperator<UnifiedRequest>) r -> withReasoning(r,
                        new Reasoning("extreme", null)), "extreme"),
                Arguments.of("opaque content", conversation(new Message(Role.USER,
                        List.of(new Part.Opaque("input_audio", Json.MAPPER.createObjectNode())))), "input_audio"),
                Arguments.of("tool arguments not an object", conversation(
                        new Message(Role.USER, List.of(new Part.Text("hi"))),
                        new Message(Role.ASSISTANT, List.of(new Part.ToolCall("call_9", "f", "{\"a\": 1")))),
                        "call_9"),
                Arguments.of("tool result with opaque content", conversation(new Message(Role.USER,
                        List.of(new Part.ToolResult("call_3", List.of(new Part.Opaque("file",
                                Json.MAPPER.createObjectNode())), false)))), "call_3"));
    }

    private static UnaryOperator<UnifiedRequest> conversation(Message... messages) {
        return r -> withMessages(r, List.of(messages));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void refusesWhatAnthropicCannotDoNamingIt(String what, UnaryOperator<UnifiedRequest> change, String named) {
        assertThatThrownBy(() -> codec.encodeRequest(request(change)))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.error().status()).isEqualTo(400);
                    assertThat(e.error().code()).isEqualTo(UnsupportedFeature.CODE);
                    assertThat(e.error().message()).contains(named);
                });
    }

    @Test
    void toolChoiceModesAndParallelism() {
        List<ToolSpec> tools = List.of(new ToolSpec("f", null, null, null));
        assertThat(toolChoice(tools, new ToolChoice(ToolChoice.Mode.REQUIRED, null, null)))
                .isEqualTo(Json.MAPPER.createObjectNode().put("type", "any"));
        assertThat(toolChoice(tools, new ToolChoice(ToolChoice.Mode.REQUIRED, null, true)))
                .isEqualTo(Json.MAPPER.createObjectNode().put("type", "any"));
        assertThat(toolChoice(tools, new ToolChoice(ToolChoice.Mode.NAMED, "f", false)))
                .isEqualTo(Json.MAPPER.createObjectNode().put("type", "tool").put("name", "f")
                        .put("disable_parallel_tool_use", true));
        assertThat(toolChoice(tools, new ToolChoice(ToolChoice.Mode.NONE, null, false)))
                .isEqualTo(Json.MAPPER.createObjectNode().put("type", "none"));
        assertThat(toolChoice(List.of(), new ToolChoice(ToolChoice.Mode.AUTO, null, null)))
                .as("without tools auto says nothing").isNull();
    }

    /** A conversation that moved from Gemini: its thinking, which Anthropic cannot verify, stays behind. */
    @Test
    void onlyThinkingAnthropicSignedGoesBack() {
        UnifiedRequest request = request(r -> withMessages(r, List.of(
                new Message(Role.USER, List.of(new Part.Text("Is 1001 prime?"))),
                new Message(Role.ASSISTANT, List.of(new Part.Thinking("7 × 143", null), new Part.Text("No."),
                        new Part.Thinking("", "gemini:Cp4CAcu98PC7Yb8l"), new Part.Thinking("11 × 13", "EqQBCkYIBxgC"))),
                new Message(Role.USER, List.of(new Part.Text("And 1003?"))))));
        JsonNode assistant = codec.encodeRequest(request).body().at("/messages/1/content");
        assertThat(assistant).hasSize(2);
        assertThat(assistant.at("/0/text").asText()).isEqualTo("No.");
        assertThat(assistant.at("/1/signature").asText()).isEqualTo("EqQBCkYIBxgC");
    }

    @Test
    void theSchemaGivenIsNotChangedByTheRewrite() {
        ObjectNode schema = (ObjectNode) TranslationGoldens.json(REQUESTS + "structured-output-named-tool.unified.json")
                .at("/responseFormat/schema");
        ObjectNode before = schema.deepCopy();
        StructuredOutputSchema.forClaude(schema);
        assertThat(schema).isEqualTo(before);
    }

    @Test
    void decodeErrorKeepsStatusTypeAndMessage() {
        GatewayError error = codec.decodeError(529, Buffer.buffer("{\"type\":\"error\",\"error\":{\"type\":"
                + "\"overloaded_error\",\"message\":\"Overloaded\"},\"request_id\":\"req_1\"}"));
        assertThat(error).isEqualTo(new GatewayError(ErrorKind.UPSTREAM_UNREACHABLE, 529, "Overloaded",
                "overloaded_error"));
        GatewayError invalid = codec.decodeError(400, Buffer.buffer("{\"type\":\"error\",\"error\":{\"type\":"
                + "\"invalid_request_error\",\"message\":\"max_tokens: Field required\"}}"));
        assertThat(invalid).isEqualTo(new GatewayError(ErrorKind.INVALID_REQUEST, 400, "max_tokens: Field required",
                "invalid_request_error"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
            "502|<html><body>Bad gateway</body></html>|UPSTREAM_UNREACHABLE",
            "500|''|INTERNAL",
            "429|{\"error\": \"not the documented shape\"}|RATE_LIMIT",
            "401|[1, 2]|AUTHENTICATION",
            "418|{\"type\":\"error\",\"error\":{\"type\":7}}|INVALID_REQUEST"})
    void decodeErrorCopesWithBodiesThatAreNotAnthropicErrors(int status, String body, ErrorKind kind) {
        GatewayError error = codec.decodeError(status, Buffer.buffer(body));
        assertThat(error.status()).isEqualTo(status);
        assertThat(error.kind()).isEqualTo(kind);
        assertThat(error.message()).contains(String.valueOf(status));
    }

    @Test
    void decodeResponseRefusesABodyThatIsNotAMessage() {
        assertThatThrownBy(() -> codec.decodeResponse(Json.MAPPER.createObjectNode().put("type", "message")))
                .isInstanceOfSatisfying(GatewayException.class,
                        e -> assertThat(e.error().kind()).isEqualTo(ErrorKind.UPSTREAM_BROKEN));
        assertThatThrownBy(() -> codec.decodeResponse(TranslationGoldens.readTree("{\"content\":[{\"text\":\"x\"}]}")))
                .isInstanceOf(GatewayException.class);
    }

    private JsonNode toolChoice(List<ToolSpec> tools, ToolChoice choice) {
        UnifiedRequest base = request(r -> r);
        return codec.encodeRequest(new UnifiedRequest(base.model(), null, base.messages(), tools, choice, null, null,
                null, null, null, null, null, null, null, null, null, false, false)).body().get("tool_choice");
    }

    private static UnifiedRequest request(UnaryOperator<UnifiedRequest> change) {
        return change.apply(new UnifiedRequest("claude-haiku-4-5", null,
                List.of(new Message(Role.USER, List.of(new Part.Text("Hello")))), null, null, null, null, null, null,
                null, null, null, null, null, null, null, false, false));
    }

    private static UnifiedRequest withMaxTokens(UnifiedRequest r, int maxTokens) {
        return new UnifiedRequest(r.model(), r.system(), r.messages(), r.tools(), r.toolChoice(), maxTokens,
                r.temperature(), r.topP(), r.topK(), r.stop(), r.seed(), r.presencePenalty(), r.frequencyPenalty(),
                r.responseFormat(), r.reasoning(), r.user(), r.stream(), r.includeUsage());
    }

    private static UnifiedRequest withReasoning(UnifiedRequest r, Reasoning reasoning) {
        return new UnifiedRequest(r.model(), r.system(), r.messages(), r.tools(), r.toolChoice(), r.maxTokens(),
                r.temperature(), r.topP(), r.topK(), r.stop(), r.seed(), r.presencePenalty(), r.frequencyPenalty(),
                r.responseFormat(), reasoning, r.user(), r.stream(), r.includeUsage());
    }

    private static UnifiedRequest withFormat(UnifiedRequest r, ResponseFormat format) {
        return new UnifiedRequest(r.model(), r.system(), r.messages(), r.tools(), r.toolChoice(), r.maxTokens(),
                r.temperature(), r.topP(), r.topK(), r.stop(), r.seed(), r.presencePenalty(), r.frequencyPenalty(),
                format, r.reasoning(), r.user(), r.stream(), r.includeUsage());
    }

    private static UnifiedRequest withMessages(UnifiedRequest r, List<Message> messages) {
        return new UnifiedRequest(r.model(), r.system(), messages, r.tools(), r.toolChoice(), r.maxTokens(),
                r.temperature(), r.topP(), r.topK(), r.stop(), r.seed(), r.presencePenalty(), r.frequencyPenalty(),
                r.responseFormat(), r.reasoning(), r.user(), r.stream(), r.includeUsage());
    }
}
