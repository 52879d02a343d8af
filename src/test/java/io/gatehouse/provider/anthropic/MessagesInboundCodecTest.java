package io.gatehouse.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.pipeline.ErrorKind;
import io.gatehouse.pipeline.GatewayException;
import io.gatehouse.pipeline.Json;
import io.gatehouse.provider.translate.InboundApi;
import io.gatehouse.provider.translate.Part;
import io.gatehouse.provider.translate.StopReason;
import io.gatehouse.provider.translate.ToolChoice;
import io.gatehouse.provider.translate.UnifiedRequest;
import io.gatehouse.provider.translate.UnifiedResponse;
import io.gatehouse.provider.translate.UnsupportedFeature;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static io.gatehouse.provider.anthropic.TranslationGoldens.FOLDER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MessagesInboundCodecTest {
    private static final String REQUESTS = FOLDER + "inbound/requests/";
    private static final String RESPONSES = FOLDER + "inbound/responses/";
    private static final String MINIMAL = "{\"model\":\"claude-x\",\"max_tokens\":100,\"messages\":"
            + "[{\"role\":\"user\",\"content\":\"Hi\"}]";
    private final MessagesInboundCodec codec = new MessagesInboundCodec();

    @Test
    void speaksTheMessagesApiAndAnswersErrorsInItsShape() {
        assertThat(codec.api()).isEqualTo(InboundApi.ANTHROPIC_MESSAGES);
        assertThat(codec.format()).isSameAs(AnthropicFormat.INSTANCE);
    }

    static Stream<String> requestGoldens() {
        return TranslationGoldens.names(REQUESTS, ".request.json");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requestGoldens")
    void decodesClientRequests(String name) {
        UnifiedRequest request = codec.decodeRequest(TranslationGoldens.json(REQUESTS + name + ".request.json"));
        assertThat(TranslationGoldens.unifiedJson(request))
                .isEqualTo(TranslationGoldens.json(REQUESTS + name + ".unified.json"));
    }

    static Stream<String> responseGoldens() {
        return TranslationGoldens.names(RESPONSES, ".unified.json");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("responseGoldens")
    void encodesAnswersAsMessages(String name) {
        UnifiedResponse response = TranslationGoldens.unified(RESPONSES + name + ".unified.json", UnifiedResponse.class);
        assertThat(TranslationGoldens.asSent(codec.encodeResponse(response))).isEqualTo(TranslationGoldens.json(RESPONSES + name + ".message.json"));
    }

    /** Bedrock's Converse names no model; a Message always names one, so the answer names the one asked for. */
    @Test
    void anAnswerFromAProviderThatNamesNoModelNamesTheRequestedOne() {
        UnifiedRequest request = codec.decodeRequest(TranslationGoldens.readTree(MINIMAL + "}"));
        JsonNode message = codec.encodeResponse(new UnifiedResponse("bedrock-1", null, List.of(new Part.Text("x")),
                StopReason.END_TURN, null, null), request);
        assertThat(message.get("model").asText()).isEqualTo("claude-x");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"END_TURN, end_turn", "STOP_SEQUENCE, stop_sequence", "MAX_TOKENS, max_tokens", "TOOL_USE, tool_use",
            "CONTENT_FILTER, refusal", "PAUSE, pause_turn"})
    void everyStopReasonHasItsAnthropicName(StopReason reason, String anthropic) {
        JsonNode message = codec.encodeResponse(new UnifiedResponse("msg_1", "m", List.of(new Part.Text("x")), reason,
                null, null));
        assertThat(message.get("stop_reason").asText()).isEqualTo(anthropic);
        assertThat(MessagesVocabulary.stopReason(anthropic)).isEqualTo(reason);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "[1, 2]", "\"text\"", "{\"a\":1}}", "{\"a\":"})
    void toolArgumentsThatAreNotAnObjectAreKeptRaw(String arguments) {
        assertThat(MessagesInboundCodec.toolInput(arguments))
                .isEqualTo(Json.MAPPER.createObjectNode().put(MessagesInboundCodec.RAW_ARGUMENTS_FIELD, arguments));
        assertThat(MessagesInboundCodec.toolInput(" ")).isEmpty();
    }

    static Stream<Arguments> answersAMessageCannotCarry() {
        return Stream.of(
                Arguments.of(new Part.Image("https://example.com/a.png", null, null, null), "image"),
                Arguments.of(new Part.Opaque("executable_code", Json.MAPPER.createObjectNode()), "executable_code"),
                Arguments.of(new Part.ToolResult("call_1", List.of(), false), "tool result"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("answersAMessageCannotCarry")
    void contentAMessageCannotCarryIsRefusedNotDropped(Part part, String named) {
        UnifiedResponse response = new UnifiedResponse("id", "m", List.of(new Part.Text("x"), part), StopReason.END_TURN,
                null, null);
        assertThatThrownBy(() -> codec.encodeResponse(response)).isInstanceOfSatisfying(GatewayException.class,
                e -> assertThat(e.error().message()).contains(named));
    }

    static Stream<Arguments> toolChoices() {
        return Stream.of(
                Arguments.of("{\"type\":\"auto\"}", new ToolChoice(ToolChoice.Mode.AUTO, null, null)),
                Arguments.of("{\"type\":\"any\"}", new ToolChoice(ToolChoice.Mode.REQUIRED, null, null)),
                Arguments.of("{\"type\":\"any\",\"disable_parallel_tool_use\":false}",
                        new ToolChoice(ToolChoice.Mode.REQUIRED, null, true)),
                Arguments.of("{\"type\":\"tool\",\"name\":\"f\",\"disable_parallel_tool_use\":true}",
                        new ToolChoice(ToolChoice.Mode.NAMED, "f", false)),
                Arguments.of("{\"type\":\"none\"}", new ToolChoice(ToolChoice.Mode.NONE, null, null)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("toolChoices")
    void toolChoicesAndParallelism(String anthropic, ToolChoice unified) {
        UnifiedRequest request = codec.decodeRequest(TranslationGoldens.readTree(MINIMAL + ",\"tools\":[{\"name\":"
                + "\"f\",\"input_schema\":{\"type\":\"object\"}}],\"tool_choice\":" + anthropic + "}"));
        assertThat(request.toolChoice()).isEqualTo(unified);
    }

    @Test
    void aMinimalRequestSetsNothingElse() {
        UnifiedRequest request = codec.decodeRequest(TranslationGoldens.readTree(MINIMAL + "}"));
        assertThat(request).isEqualTo(new UnifiedRequest("claude-x", List.of(),
                List.of(new io.gatehouse.provider.translate.Message(io.gatehouse.provider.translate.Role.USER,
                        List.of(new Part.Text("Hi")))),
                List.of(), null, 100, null, null, null, List.of(), null, null, null, null, null, null, false, false));
    }

    static Stream<Arguments> invalidRequests() {
        return Stream.of(
                Arguments.of("[]", "request body"),
                Arguments.of("{\"model\":\"m\",\"messages\":[]}", "max_tokens: field required"),
                Arguments.of("{\"model\":\"m\",\"max_tokens\":\"100\",\"messages\":[]}", "max_tokens: must be an integer"),
                Arguments.of("{\"model\":\"m\",\"max_tokens\":0,\"messages\":[]}", "max_tokens"),
                Arguments.of("{\"max_tokens\":10,\"messages\":[]}", "model: field required"),
                Arguments.of("{\"model\":\"m\",\"max_tokens\":10}", "messages: field required"),
                Arguments.of("{\"model\":\"m\",\"max_tokens\":10,\"messages\":\"hi\"}", "messages: must be an array"),
                Arguments.of("{\"model\":\"m\",\"max_tokens\":10,\"messages\":[\"hi\"]}", "messages.0: must be an object"),
                Arguments.of("{\"model\":\"m\",\"max_tokens\":10,\"messages\":[{\"role\":\"system\",\"content\":\"x\"}]}",
                        "messages.0.role"),
                Arguments.of("{\"model\":\"m\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\"}]}",
                        "messages.0.content: field required"),
                Arguments.of("{\"model\":\"m\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":7}]}",
                        "messages.0.content"),
                Arguments.of("{\"model\":\"m\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"x\"}]}]}",
                        "messages.0.content.0.type: field required"),
                Arguments.of("{\"model\":\"m\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":"
                        + "\"image\",\"source\":{\"type\":\"base64\",\"media_type\":\"image/png\"}}]}]}",
                        "messages.0.content.0.source.data: field required"),
                Arguments.of("{\"model\":\"m\",\"max_tokens\":10,\"messages\":[{\"role\":\"assistant\",\"content\":[{\"type\":"
                        + "\"tool_use\",\"id\":\"t\",\"name\":\"f\",\"input\":[1]}]}]}",
                        "messages.0.content.0.input: must be an object"),
                Arguments.of("{\"model\":\"m\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":"
                        + "\"tool_result\",\"tool_use_id\":\"t\",\"is_error\":\"yes\"}]}]}",
                        "messages.0.content.0.is_error: must be a boolean"),
                Arguments.of(MINIMAL + ",\"system\":[{\"type\":\"image\"}]}", "system.0.type"),
                Arguments.of(MINIMAL + ",\"system\":5}", "system"),
                Arguments.of(MINIMAL + ",\"temperature\":\"hot\"}", "temperature: must be a number"),
                Arguments.of(MINIMAL + ",\"top_k\":1.5}", "top_k: must be an integer"),
                Arguments.of(MINIMAL + ",\"stream\":\"yes\"}", "stream: must be a boolean"),
                Arguments.of(MINIMAL + ",\"stop_sequences\":[1]}", "stop_sequences.0: must be a string"),
                Arguments.of(MINIMAL + ",\"tools\":[{\"name\":\"f\"}]}", "tools.0.input_schema: field required"),
                Arguments.of(MINIMAL + ",\"tool_choice\":{\"type\":\"sometimes\"}}", "tool_choice.type"),
                Arguments.of(MINIMAL + ",\"tool_choice\":{\"type\":\"tool\"}}", "tool_choice.name: field required"),
                Arguments.of(MINIMAL + ",\"thinking\":{\"type\":\"enabled\"}}", "thinking.budget_tokens: field required"),
                Arguments.of(MINIMAL + ",\"metadata\":{\"user_id\":42}}", "metadata.user_id: must be a string"),
                Arguments.of(MINIMAL + ",\"output_config\":{\"format\":{\"type\":\"json_object\"}}}",
                        "output_config.format.type"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("invalidRequests")
    void invalidRequestsAre400sNamingTheField(String body, String message) {
        assertThatThrownBy(() -> codec.decodeRequest(TranslationGoldens.readTree(body)))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.error().kind()).isEqualTo(ErrorKind.INVALID_REQUEST);
                    assertThat(e.error().code()).isEqualTo("invalid_request");
                    assertThat(e.error().message()).contains(message);
                });
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of(MINIMAL + ",\"tools\":[{\"type\":\"web_search_20250305\",\"name\":\"web_search\","
                        + "\"max_uses\":5}]}", "web_search"),
                Arguments.of(MINIMAL + ",\"tools\":[{\"type\":\"bash_20250124\",\"name\":\"bash\"}]}", "bash_20250124"),
                Arguments.of(MINIMAL + ",\"container\":\"container_011\"}", "container"),
                Arguments.of(MINIMAL + ",\"mcp_servers\":[]}", "mcp_servers"),
                Arguments.of(MINIMAL + ",\"output_config\":{\"task_budget\":{}}}", "output_config.task_budget"),
                Arguments.of("{\"model\":\"m\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":"
                        + "\"image\",\"source\":{\"type\":\"file\",\"file_id\":\"file_011\"}}]}]}", "Files API"),
                Arguments.of("{\"model\":\"m\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":"
                        + "\"tool_result\",\"tool_use_id\":\"t\",\"content\":[{\"type\":\"document\",\"source\":{}}]}]}]}",
                        "document"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("refusals")
    void whatNoOtherProviderCanDoIsRefusedNamingIt(String body, String named) {
        assertThatThrownBy(() -> codec.decodeRequest(TranslationGoldens.readTree(body)))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.error().status()).isEqualTo(400);
                    assertThat(e.error().code()).isEqualTo(UnsupportedFeature.CODE);
                    assertThat(e.error().message()).contains(named);
                });
    }

    @Test
    void errorsAreWrittenInAnthropicsShape() {
        JsonNode body = TranslationGoldens.readTree(codec.encodeError(io.gatehouse.pipeline.GatewayError
                .invalidRequest("max_tokens: field required")).toString());
        assertThat(body).isEqualTo(TranslationGoldens.readTree("{\"type\":\"error\",\"error\":{\"type\":"
                + "\"invalid_request_error\",\"message\":\"max_tokens: field required\"}}"));
    }
}
