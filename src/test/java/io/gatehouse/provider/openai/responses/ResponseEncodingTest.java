package io.gatehouse.provider.openai.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.openai.core.ObjectMappers;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseOutputItem;
import io.gatehouse.pipeline.ErrorKind;
import io.gatehouse.pipeline.GatewayException;
import io.gatehouse.pipeline.Json;
import io.gatehouse.provider.translate.Part;
import io.gatehouse.provider.translate.StopReason;
import io.gatehouse.provider.translate.TokenUsage;
import io.gatehouse.provider.translate.UnifiedRequest;
import io.gatehouse.provider.translate.UnifiedResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class ResponseEncodingTest {
    private final ResponsesInboundCodec codec = new ResponsesInboundCodec(Goldens.CLOCK);

    /** The unified answers behind each golden response, with the request they answer. */
    enum Case {
        TEXT("responses/text.json", "requests/string-input.json", new UnifiedResponse(
                "msg_01XFDUDYJgAACzvnptvVoYEL", "claude-sonnet-4-5-20250929",
                List.of(new Part.Text("Requests arrive —\nthe gateway hums, routes, returns.\nZürich answers 🌤")),
                StopReason.END_TURN, null, new TokenUsage(2095, 31, 2048, 0, 0))),
        FUNCTION_CALLS("responses/function-calls.json", "requests/function-call-round-trip.json",
                new UnifiedResponse("chatcmpl-C3kAzQ1bT0n8yBf4hG7uXkPq2Lm9R", "qwen3-30b-a3b", List.of(
                        new Part.Text("Checking both cities."),
                        new Part.ToolCall("call_paris", "get_weather", "{\"city\":\"Paris\"}"),
                        new Part.ToolCall("call_tokyo", "get_weather", "{\"city\":\"Tokyo\"}"),
                        new Part.ToolCall("call_clock", "get_time", "")),
                        StopReason.TOOL_USE, null, new TokenUsage(312, 58, 0, 0, 0))),
        REASONING("responses/reasoning.json", "requests/reasoning-items.json", new UnifiedResponse(
                "msg_01AbCdEfGhIjKlMnOpQrStUv", "claude-opus-4-1-20250805", List.of(
                        new Part.Thinking("1001 = 7 × 143 and 143 = 11 × 13.",
                                "EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxDYq+6OKp8uuIoyGsiMOxp1L9QbF3M0TdX"),
                        new Part.RedactedThinking("EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr3qpP"),
                        new Part.Text("No: 1001 = 7 × 11 × 13.")),
                StopReason.END_TURN, null, new TokenUsage(1024, 412, 0, 512, 380))),
        INCOMPLETE("responses/incomplete.json", "requests/json-schema.json", new UnifiedResponse(
                "gen-1755446400-aZ3kq9", "gemini-2.5-pro", List.of(
                        new Part.Text("{\"name\":\"Lunch\",\"date\":\"Fri")),
                StopReason.MAX_TOKENS, null, new TokenUsage(48, 16, 0, 0, 0)));

        final String golden;
        final String request;
        final UnifiedResponse response;

        Case(String golden, String request, UnifiedResponse response) {
            this.golden = golden;
            this.request = request;
            this.response = response;
        }

        UnifiedRequest request(ResponsesInboundCodec codec) {
            return codec.decodeRequest(Goldens.json(request));
        }
    }

    @ParameterizedTest
    @EnumSource(Case.class)
    void encodesTheGoldenResponse(Case golden) {
        JsonNode body = codec.encodeResponse(golden.response, golden.request(codec));

        assertThat(Goldens.reparsed(body)).isEqualTo(Goldens.json(golden.golden));
    }

    @ParameterizedTest
    @EnumSource(Case.class)
    void theOpenAiJavaSdkReadsEveryGoldenResponse(Case golden) throws IOException {
        Response response = ObjectMappers.jsonMapper().readValue(Goldens.bytes(golden.golden), Response.class);

        response.validate();
        assertThat(response.output()).hasSize(golden.response.content().size());
    }

    @Test
    void theSdkSeesThinkingAsReasoningWithItsSignatureAndCallsAsFunctionCalls() throws IOException {
        Response reasoning = ObjectMappers.jsonMapper().readValue(Goldens.bytes("responses/reasoning.json"),
                Response.class);
        assertThat(reasoning.output().get(0).asReasoning().encryptedContent())
                .contains("EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxDYq+6OKp8uuIoyGsiMOxp1L9QbF3M0TdX");
        assertThat(reasoning.output().get(0).asReasoning().summary().get(0).text())
                .isEqualTo("1001 = 7 × 143 and 143 = 11 × 13.");
        assertThat(reasoning.usage().orElseThrow().outputTokensDetails().reasoningTokens()).isEqualTo(380);

        Response calls = ObjectMappers.jsonMapper().readValue(Goldens.bytes("responses/function-calls.json"),
                Response.class);
        assertThat(calls.output()).extracting(ResponseOutputItem::isFunctionCall)
                .containsExactly(false, true, true, true);
        assertThat(calls.output().get(3).asFunctionCall().arguments()).as("a call without arguments")
                .isEqualTo("{}");
    }

    @Test
    void reasoningSentBackByTheClientDecodesToTheSameThinkingBlocks() {
        JsonNode body = codec.encodeResponse(Case.REASONING.response, null);

        UnifiedRequest request = codec.decodeRequest(followUp(body.get("output")));

        assertThat(request.messages().get(1).parts()).containsExactlyElementsOf(Case.REASONING.response.content());
    }

    @Test
    void withoutTheRequestTheEchoesAreOpenAisDefaults() {
        JsonNode body = codec.encodeResponse(Case.TEXT.response);

        assertThat(body.get("tools")).isEmpty();
        assertThat(body.get("tool_choice").asText()).isEqualTo("auto");
        assertThat(body.get("parallel_tool_calls").asBoolean()).isTrue();
        assertThat(body.get("text")).isEqualTo(json("{\"format\":{\"type\":\"text\"},\"verbosity\":\"medium\"}"));
        assertThat(body.get("instructions").isNull()).isTrue();
        assertThat(body.get("model").asText()).isEqualTo("claude-sonnet-4-5-20250929");
    }

    @Test
    void aContentFilterStopIsIncompleteForThatReason() {
        JsonNode body = codec.encodeResponse(new UnifiedResponse("r1", "m", List.of(new Part.Text("I")),
                StopReason.CONTENT_FILTER, null, null), null);

        assertThat(body.get("status").asText()).isEqualTo("incomplete");
        assertThat(body.at("/incomplete_details/reason").asText()).isEqualTo("content_filter");
        assertThat(body.at("/output/0/status").asText()).isEqualTo("incomplete");
        assertThat(body.get("usage").isNull()).as("no usage reported").isTrue();
    }

    @Test
    void aStopSequenceCompletesTheResponse() {
        JsonNode body = codec.encodeResponse(new UnifiedResponse("resp_abc", "m", List.of(new Part.Text("1, 2")),
                StopReason.STOP_SEQUENCE, "3", TokenUsage.NONE), null);

        assertThat(body.get("status").asText()).isEqualTo("completed");
        assertThat(body.get("incomplete_details").isNull()).isTrue();
        assertThat(body.get("id").asText()).as("an id that is already a response id").isEqualTo("resp_abc");
        assertThat(body.at("/output/0/id").asText()).isEqualTo("msg_abc_0");
    }

    @ParameterizedTest
    @ValueSource(strings = {"image", "opaque", "tool result"})
    void contentWithNoOutputItemIsAnErrorNotADrop(String kind) {
        Part part = switch (kind) {
            case "image" -> new Part.Image("https://example.com/a.png", null, null, null);
            case "opaque" -> new Part.Opaque("document", json("{\"type\":\"document\"}"));
            default -> new Part.ToolResult("c", List.of(), false);
        };
        GatewayException error = catchThrowableOfType(GatewayException.class, () -> codec.encodeResponse(
                new UnifiedResponse("r", "m", List.of(new Part.Text("Here:"), part), StopReason.END_TURN, null, null)));

        assertThat(error.error().kind()).isEqualTo(ErrorKind.INTERNAL);
        assertThat(error.error().message()).contains("the Responses API has no output item for");
    }

    @Test
    void theSameAnswerEncodesToTheSameBody() {
        assertThat(codec.encodeResponse(Case.REASONING.response))
                .isEqualTo(codec.encodeResponse(Case.REASONING.response));
    }

    /** The next turn's request, as a client sends it: the user's question, then the answer's output items. */
    private static JsonNode followUp(JsonNode output) {
        ObjectNode body = Json.MAPPER.createObjectNode().put("model", "claude-opus-4-1");
        ArrayNode input = body.putArray("input");
        input.addObject().put("role", "user").put("content", "Is 1001 prime?");
        output.forEach(input::add);
        return body;
    }

    private static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
