package io.gatehouse.provider.gemini;

import io.gatehouse.pipeline.GatewayException;
import io.gatehouse.provider.translate.Message;
import io.gatehouse.provider.translate.Part;
import io.gatehouse.provider.translate.ResponseFormat;
import io.gatehouse.provider.translate.Role;
import io.gatehouse.provider.translate.ToolChoice;
import io.gatehouse.provider.translate.ToolSpec;
import io.gatehouse.provider.translate.UnifiedRequest;
import io.gatehouse.provider.translate.UnsupportedFeature;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static io.gatehouse.provider.gemini.GeminiRequestEncodingTest.PNG;
import static io.gatehouse.provider.gemini.GeminiRequestEncodingTest.json;
import static io.gatehouse.provider.gemini.RequestBuilder.assistant;
import static io.gatehouse.provider.gemini.RequestBuilder.request;
import static io.gatehouse.provider.gemini.RequestBuilder.text;
import static io.gatehouse.provider.gemini.RequestBuilder.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What Gemini cannot carry is refused (400 unsupported_feature), what is malformed is a 400 invalid_request. */
class GeminiRequestRefusalTest {
    private static final ToolSpec TOOL = new ToolSpec("get_weather", null, null, null);

    private final GeminiOutboundCodec codec = new GeminiOutboundCodec();

    @Test
    void anEndUserIdIsNotRefusedAndNotSent() {
        String body = codec.encodeRequest(request().messages(user(text("Hi"))).user("user-42").build()).body().toString();
        assertThat(body).doesNotContain("user-42");
    }

    @Test
    void forbiddingParallelToolCallsIsRefused() {
        assertRefused(request().messages(user(text("Hi"))).tools(TOOL)
                .toolChoice(new ToolChoice(ToolChoice.Mode.AUTO, null, false)).build(), "parallel tool calls");
    }

    @Test
    void moreThanFiveStopSequencesAreRefused() {
        assertRefused(request().messages(user(text("Hi"))).stop("a", "b", "c", "d", "e", "f").build(),
                "at most 5 stop sequences");
    }

    @Test
    void aSeedBeyondThirtyTwoBitsIsRefused() {
        assertRefused(request().messages(user(text("Hi"))).seed(1L << 40).build(), "seed");
    }

    @Test
    void anImageDetailOtherThanAutoIsRefused() {
        assertRefused(request().messages(user(new Part.Image("https://example.com/a.png", null, null, "high")))
                .build(), "messages[0].parts[0]: Gemini has no per-image detail setting, so 'detail: high'");
    }

    @Test
    void imageUrlsGeminiCannotFetchAreRefused() {
        assertRefused(request().messages(user(new Part.Image("ftp://example.com/a.png", null, null, null))).build(),
                "only from http(s) and gs:// URLs, not 'ftp:'");
        assertRefused(request().messages(
                        user(text("go")),
                        assistant(new Part.ToolCall("c", "shot", "{}")),
                        user(new Part.ToolResult("c", List.of(new Part.Image("https://example.com/s.png", null, null,
                                null)), false)))
                .build(), "messages[2].parts[0].content[0]: Gemini takes only inline (base64) images in tool results");
    }

    @Test
    void contentOfAnotherApiIsRefusedByItsType() {
        assertRefused(request().messages(user(new Part.Opaque("document", json("{\"type\":\"document\"}")))).build(),
                "messages[0].parts[0]: Gemini cannot take content of type 'document'");
        assertRefused(request().messages(user(text("go")), assistant(new Part.ToolCall("c", "f", "{}")),
                        user(new Part.ToolResult("c", List.of(new Part.Opaque("search_result", json("{}"))), false)))
                .build(), "Gemini tool results hold only text and images");
    }

    @Test
    void anUnknownReasoningEffortIsRefused() {
        assertRefused(request().messages(user(text("Hi"))).reasoning("xhigh", null).build(),
                "reasoning effort 'xhigh'");
    }

    @Test
    void aRecursiveToolSchemaIsRefusedNamingTheTool() {
        ToolSpec tree = new ToolSpec("make_tree", null, json("{\"type\":\"object\",\"properties\":{\"node\":"
                + "{\"$ref\":\"#/$defs/N\"}},\"$defs\":{\"N\":{\"type\":\"object\",\"properties\":{\"kids\":"
                + "{\"type\":\"array\",\"items\":{\"$ref\":\"#/$defs/N\"}}}}}}"), null);

        assertRefused(request().messages(user(text("Hi"))).tools(tree).build(), "tools[0] (make_tree) parameters");
    }

    @Test
    void unparseableOrNonObjectToolArgumentsAreInvalid() {
        assertInvalid(request().messages(user(text("go")), assistant(new Part.ToolCall("c", "f", "{\"a\":")))
                .build(), "messages[1].parts[0]: the arguments of tool call 'f' are not valid JSON");
        assertInvalid(request().messages(user(text("go")), assistant(new Part.ToolCall("c", "f", "[1,2]")))
                .build(), "the arguments of tool call 'f' are not a JSON object");
    }

    @Test
    void aToolResultWithoutItsCallIsInvalid() {
        assertInvalid(request().messages(user(new Part.ToolResult("call_9", List.of(text("x")), false))).build(),
                "messages[0].parts[0] answers tool call 'call_9', which no earlier assistant message made");
        // The call must come before its result, not after.
        assertInvalid(request().messages(user(new Part.ToolResult("c", List.of(text("x")), false)),
                assistant(new Part.ToolCall("c", "f", "{}"))).build(), "answers tool call 'c'");
    }

    @Test
    void toolChoicesThatNameNoDeclaredToolAreInvalid() {
        assertInvalid(request().messages(user(text("Hi"))).tools(TOOL)
                .toolChoice(new ToolChoice(ToolChoice.Mode.NAMED, "get_time", null)).build(),
                "tool_choice names the tool 'get_time', which is not among the request's tools");
        assertInvalid(request().messages(user(text("Hi")))
                .toolChoice(new ToolChoice(ToolChoice.Mode.REQUIRED, null, null)).build(),
                "tool_choice requires a tool call, but the request declares no tools");
    }

    @Test
    void partsInTheWrongRoleAreInvalid() {
        assertInvalid(request().messages(user(new Part.ToolCall("c", "f", "{}"))).build(),
                "messages[0].parts[0] is a tool call, which only an assistant message can hold");
        assertInvalid(request().messages(user(text("go")), assistant(new Part.ToolResult("c", List.of(), false)))
                .build(), "messages[1].parts[0] is a tool result, which only a user message can hold");
        assertInvalid(request().messages(user(new Part.Thinking("hm", null))).build(),
                "messages[0].parts[0] is reasoning");
    }

    @Test
    void missingFieldsAreInvalidNamingThem() {
        assertInvalid(request().model(null).messages(user(text("Hi"))).build(), "model is missing");
        assertInvalid(request().build(), "the request has no message content Gemini can take");
        assertInvalid(request().messages(assistant(new Part.RedactedThinking("xyz"))).build(),
                "the request has no message content Gemini can take");
        assertInvalid(request().model("gemini/../../v1/files").messages(user(text("Hi"))).build(),
                "is not a Gemini model name");
        assertInvalid(request().messages(user(new Part.Text(null))).build(), "messages[0].parts[0].text is missing");
        assertInvalid(request().messages(user(new Part.Image(null, null, PNG, null))).build(),
                "messages[0].parts[0].media_type is missing");
        assertInvalid(request().messages(user(new Part.Image(null, null, null, null))).build(),
                "messages[0].parts[0].url is missing");
        assertInvalid(request().messages(user(new Part.Image("data:image/png,abc", null, null, null))).build(),
                "a data: URL without base64 data");
        assertInvalid(request().messages(new Message(null, List.of(text("Hi")))).build(), "messages[0] has no role");
        assertInvalid(request().messages(new Message(Role.USER, Arrays.asList(new Part[]{text("a")})),
                        assistant(new Part.ToolCall("c", null, "{}"))).build(), "messages[1].parts[0].name is missing");
        assertInvalid(request().messages(user(text("Hi"))).tools(new ToolSpec(null, null, null, null)).build(),
                "tools[0].name is missing");
        assertInvalid(request().messages(user(text("Hi"))).reasoning(null, -5).build(), "thinking budget");
        assertInvalid(request().messages(user(text("Hi")))
                .responseFormat(new ResponseFormat(ResponseFormat.Kind.JSON_SCHEMA, "x", null, null)).build(),
                "response_format.json_schema.schema is missing");
    }

    private void assertRefused(UnifiedRequest request, String messagePart) {
        assertThatThrownBy(() -> codec.encodeRequest(request)).isInstanceOfSatisfying(GatewayException.class, e -> {
            assertThat(e.error().status()).isEqualTo(400);
            assertThat(e.error().code()).isEqualTo(UnsupportedFeature.CODE);
            assertThat(e.error().message()).contains(messagePart);
        });
    }

    private void assertInvalid(UnifiedRequest request, String messagePart) {
        assertThatThrownBy(() -> codec.encodeRequest(request)).isInstanceOfSatisfying(GatewayException.class, e -> {
            assertThat(e.error().status()).isEqualTo(400);
            assertThat(e.error().code()).isEqualTo("invalid_request");
            assertThat(e.error().message()).contains(messagePart);
        });
    }
}
