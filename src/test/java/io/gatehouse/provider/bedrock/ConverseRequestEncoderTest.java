package io.gatehouse.provider.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.pipeline.ErrorKind;
import io.gatehouse.pipeline.GatewayException;
import io.gatehouse.pipeline.Json;
import io.gatehouse.provider.translate.EncodedRequest;
import io.gatehouse.provider.translate.Part;
import io.gatehouse.provider.translate.Reasoning;
import io.gatehouse.provider.translate.ResponseFormat;
import io.gatehouse.provider.translate.ToolChoice;
import io.gatehouse.provider.translate.ToolSpec;
import io.gatehouse.provider.translate.UnifiedRequest;
import io.gatehouse.provider.translate.UnsupportedFeature;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.gatehouse.provider.bedrock.RequestBuilder.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Unified requests written as Converse requests, against golden bodies. */
class ConverseRequestEncoderTest {
    private static final BedrockOutboundCodec CODEC = new BedrockOutboundCodec();
    private static final String PNG =
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";
    private static final ToolSpec WEATHER = new ToolSpec("get_weather", "Current weather", json("""
            {"type":"object","properties":{"city":{"type":"string","description":"City name"}},"required":["city"]}
            """), null);

    @Test
    void systemPromptsTurnsAndSamplingSettings() {
        RequestBuilder request = request().system("You are terse.").system("Answer in English.")
                .user("Hi").user("Are you there?").assistant("Yes.").user("Name a colour.");
        request.maxTokens = 512;
        request.temperature = 0.2;
        request.topP = 0.9;
        request.stop = List.of("\n\nHuman:", "END");
        request.user = "user-42";

        assertEncodes(request.build(), "request-conversation.json");
    }

    /** Converse names the stop sequence that ended an answer only when asked for that field of the model's. */
    @Test
    void stopSequencesAskForTheOneThatEndedTheAnswer() {
        RequestBuilder request = request().user("Count to ten.");
        assertThat(CODEC.encodeRequest(request.build()).body().has("additionalModelResponseFieldPaths")).isFalse();

        request.stop = List.of("7");
        assertThat(CODEC.encodeRequest(request.build()).body().get("additionalModelResponseFieldPaths"))
                .isEqualTo(json("[\"/stop_sequence\"]"));
    }

    @Test
    void imagesInlineAndAsDataUrls() {
        RequestBuilder request = request().user(new Part.Text("What is in these pictures?"),
                new Part.Image(null, "image/png", PNG, null),
                new Part.Image("data:image/jpeg;base64,/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAP8=", null, null, "auto"),
                new Part.Image(null, "image/webp", "UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==", null));

        assertEncodes(request.build(), "request-images.json");
    }

    @Test
    void toolsParallelCallsAndSeveralResultsOneAnError() {
        RequestBuilder request = request().tool(WEATHER).tool(new ToolSpec("get_time", null, null, null))
                .tool(new ToolSpec("lookup", "Strict lookup", json("""
                        {"type":"object","properties":{"key":{"type":"string","minLength":3},
                         "maximum":{"type":"integer","maximum":10}},
                         "required":["key","maximum"],"additionalProperties":false}
                        """), true))
                .user("Weather in Paris and Oslo, and the time?")
                .assistant(new Part.Text("Let me check."),
                        new Part.ToolCall("toolu_1", "get_weather", "{\"city\":\"Paris\"}"),
                        new Part.ToolCall("toolu_2", "get_weather", "{\"city\": \"Oslo\"}"),
                        new Part.ToolCall("toolu_3", "get_time", ""))
                .user(new Part.ToolResult("toolu_1", List.of(new Part.Text("18°C, sunny")), false),
                        new Part.ToolResult("toolu_2", List.of(new Part.Text("Station offline")), true),
                        new Part.ToolResult("toolu_3", List.of(new Part.Text("12:00"),
                                new Part.Image(null, "image/png", PNG, null)), false),
                        new Part.Text("Thanks!"));
        request.toolChoice = new ToolChoice(ToolChoice.Mode.AUTO, null, true);

        assertEncodes(request.build(), "request-tools.json");
    }

    @Test
    void aNamedToolChoice() {
        RequestBuilder request = request().tool(WEATHER).user("Weather in Paris?");
        request.toolChoice = new ToolChoice(ToolChoice.Mode.NAMED, "get_weather", null);

        assertEncodes(request.build(), "request-tool-choice-named.json");
    }

    @Test
    void requiredToolChoiceIsAny() {
        RequestBuilder request = request().tool(WEATHER).user("Weather in Paris?");
        request.toolChoice = new ToolChoice(ToolChoice.Mode.REQUIRED, null, null);

        assertThat(CODEC.encodeRequest(request.build()).body().at("/toolConfig/toolChoice"))
                .isEqualTo(json("{\"any\":{}}"));
    }

    @Test
    void toolChoiceNoneWithoutToolHistorySendsNoTools() {
        RequestBuilder request = request().tool(WEATHER).user("Just chat.");
        request.toolChoice = new ToolChoice(ToolChoice.Mode.NONE, null, null);

        JsonNode body = CODEC.encodeRequest(request.build()).body();

        assertThat(body.has("toolConfig")).isFalse();
        assertThat(body.get("messages")).hasSize(1);
    }

    @Test
    void thinkingRoundTripWithSignatureAndRedactedReasoningStreamed() {
        RequestBuilder request = request().user("17 × 23?")
                .assistant(new Part.Thinking("17 × 23 = 391", "EqgBCkgIBxABGAIiQL0n3BZC"),
                        new Part.RedactedThinking("RXJyb3IgbWVzc2FnZSByZWRhY3RlZA=="), new Part.Text("391"))
                .user("And 18 × 23?");
        request.model = "us.anthropic.claude-3-7-sonnet-20250219-v1:0";
        request.maxTokens = 8000;
        request.topK = 40;
        request.reasoning = new Reasoning(null, 4000);
        request.stream = true;

        assertEncodes(request.build(), "request-thinking.json");
    }

    /** A conversation that moved from another provider: its thinking, which the model cannot verify, stays behind. */
    @Test
    void onlyReasoningTheModelSignedGoesBack() {
        RequestBuilder request = request().user("Is 1001 prime?")
                .assistant(new Part.Thinking("7 × 143", null), new Part.Text("No."),
                        new Part.Thinking("", "gemini:Cp4CAcu98PC7Yb8l"), new Part.Thinking("11 × 13", ""),
                        new Part.Thinking("7 × 11 × 13", "EqgBCkgIBxABGAIiQL0n3BZC"))
                .user("And 1003?");

        JsonNode assistant = CODEC.encodeRequest(request.build()).body().at("/messages/1/content");
        assertThat(assistant).hasSize(2);
        assertThat(assistant.at("/0/text").asText()).isEqualTo("No.");
        assertThat(assistant.at("/1/reasoningContent/reasoningText/signature").asText())
                .isEqualTo("EqgBCkgIBxABGAIiQL0n3BZC");
    }

    /** Anthropic's models count thinking within maxTokens and refuse a budget that is not below it. */
    @Test
    void aTokenLimitWithinTheThinkingBudgetIsRaisedByTheBudget() {
        RequestBuilder request = request().user("Is 1001 prime?");
        request.maxTokens = 4096;
        request.reasoning = new Reasoning("medium", null);

        JsonNode body = CODEC.encodeRequest(request.build()).body();
        assertThat(body.at("/additionalModelRequestFields/thinking/budget_tokens").asInt()).isEqualTo(8192);
        assertThat(body.at("/inferenceConfig/maxTokens").asInt()).isEqualTo(8192 + 4096);
    }

    @Test
    void reasoningEffortAloneBecomesABudget() {
        RequestBuilder request = request().user("Think.");
        request.reasoning = new Reasoning("low", null);

        assertThat(CODEC.encodeRequest(request.build()).body().at("/additionalModelRequestFields/thinking"))
                .isEqualTo(json("{\"type\":\"enabled\",\"budget_tokens\":2048}"));
    }

    @Test
    void jsonSchemaResponseFormatWithoutTheKeywordsBedrockRejects() {
        RequestBuilder request = request().user("Extract: Ada, 36, math and code.");
        request.model = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";
        JsonNode schema = json("""
                {"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object",
                 "properties":{"name":{"type":"string","minLength":1,"maxLength":100},
                  "age":{"type":"integer","minimum":0,"maximum":150},
                  "tags":{"type":"array","items":{"type":"string","pattern":"^[a-z]+$"},"minItems":1,"maxItems":5,
                   "uniqueItems":true},
                  "minimum":{"type":"number","description":"a property named like a keyword"}},
                 "required":["name","age","minimum"],"additionalProperties":false}
                """);
        request.responseFormat = new ResponseFormat(ResponseFormat.Kind.JSON_SCHEMA, "person", schema, true);

        assertEncodes(request.build(), "request-json-schema.json");
        assertThat(schema.at("/properties/age/minimum").asInt()).as("the caller's schema is untouched").isZero();
    }

    @Test
    void aTextResponseFormatNeedsNothing() {
        RequestBuilder request = request().user("Hi");
        request.responseFormat = new ResponseFormat(ResponseFormat.Kind.TEXT, null, null, null);

        assertThat(CODEC.encodeRequest(request.build()).body().has("outputConfig")).isFalse();
    }

    @Test
    void inferenceProfileArnsAreEncodedIntoThePath() {
        RequestBuilder request = request().user("Hi");
        request.model = "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-5-sonnet-20241022-v2:0";

        assertThat(CODEC.encodeRequest(request.build()).path()).isEqualTo("/model/arn%3Aaws%3Abedrock%3Aus-east-1"
                + "%3A123456789012%3Ainference-profile%2Fus.anthropic.claude-3-5-sonnet-20241022-v2%3A0/converse");
    }

    @Test
    void whatConverseCannotCarryIsRefused() {
        assertRefused(with(r -> r.seed = 7L), "seed");
        assertRefused(with(r -> r.presencePenalty = 0.5), "presence_penalty");
        assertRefused(with(r -> r.frequencyPenalty = 0.5), "frequency_penalty");
        assertRefused(with(r -> {
            r.tools.add(WEATHER);
            r.toolChoice = new ToolChoice(ToolChoice.Mode.AUTO, null, false);
        }), "parallel_tool_calls");
        assertRefused(with(r -> r.responseFormat = new ResponseFormat(ResponseFormat.Kind.JSON_OBJECT, null, null,
                null)), "json_object");
        assertRefused(request().user(new Part.Image("https://example.com/cat.png", null, null, null)).build(),
                "not by URL");
        assertRefused(request().user(new Part.Image(null, "image/png", PNG, "low")).build(), "detail");
        assertRefused(request().user(new Part.Image(null, "image/tiff", "SUkqAA==", null)).build(), "image/tiff");
        assertRefused(request().user(new Part.Opaque("document", json("{\"type\":\"document\"}"))).build(),
                "'document'");
        assertRefused(request().user(new Part.ToolResult("t1", List.of(new Part.Thinking("x", null)), false))
                .build(), "text and images only");
    }

    @Test
    void toolChoiceNoneCannotBeKeptOnceTheConversationHoldsToolCalls() {
        RequestBuilder request = toolHistory().tool(WEATHER);
        request.toolChoice = new ToolChoice(ToolChoice.Mode.NONE, null, null);

        assertRefused(request.build(), "no tool_choice none");
    }

    @Test
    void toolHistoryWithoutToolDefinitionsIsRefused() {
        assertRefused(toolHistory().build(), "needs the tools defined");
    }

    @Test
    void invalidRequestsNameTheField() {
        assertInvalid(with(r -> r.model = " "), "model");
        assertInvalid(request().assistant(new Part.ToolCall("t1", "f", "{not json")).build(),
                "messages[0].content[0].arguments");
        assertInvalid(request().assistant(new Part.ToolCall("t1", "f", "[1]")).build(),
                "messages[0].content[0].arguments must be a JSON object");
        assertInvalid(request().user("Hi").assistant(new Part.ToolCall(null, "f", "{}")).build(),
                "messages[1].content[0].id");
        assertInvalid(request().user(new Part.Text(null)).build(), "messages[0].content[0].text");
        assertInvalid(with(r -> r.responseFormat = new ResponseFormat(ResponseFormat.Kind.JSON_SCHEMA, "x", null,
                null)), "response_format.json_schema.schema");
        assertInvalid(with(r -> r.reasoning = new Reasoning("extreme", null)), "reasoning_effort");
        assertInvalid(with(r -> r.toolChoice = new ToolChoice(ToolChoice.Mode.REQUIRED, null, null)),
                "tool_choice required needs tools");
        assertInvalid(with(r -> r.tools.add(new ToolSpec("f", null, json("[]"), null))), "tools[0].parameters");
    }

    private static RequestBuilder toolHistory() {
        return request().user("Weather?")
                .assistant(new Part.ToolCall("toolu_1", "get_weather", "{\"city\":\"Paris\"}"))
                .user(new Part.ToolResult("toolu_1", List.of(new Part.Text("18°C")), false));
    }

    private static UnifiedRequest with(java.util.function.Consumer<RequestBuilder> change) {
        RequestBuilder request = request().user("Hi");
        change.accept(request);
        return request.build();
    }

    private static void assertEncodes(UnifiedRequest request, String golden) {
        EncodedRequest encoded = CODEC.encodeRequest(request);
        JsonNode expected = Golden.json(golden);

        assertThat(encoded.path()).isEqualTo(expected.get("path").asText());
        assertThat(encoded.query()).isNull();
        assertThat(Json.tree(encoded.headers())).isEqualTo(expected.get("headers"));
        Golden.assertJsonEquals(encoded.body(), expected.get("body"));
    }

    private static void assertRefused(UnifiedRequest request, String naming) {
        GatewayException refusal = catchThrowableOfType(GatewayException.class, () -> CODEC.encodeRequest(request));
        assertThat(refusal).as("refusal naming %s", naming).isNotNull();
        assertThat(refusal.error().status()).isEqualTo(400);
        assertThat(refusal.error().code()).isEqualTo(UnsupportedFeature.CODE);
        assertThat(refusal.error().message()).contains(naming);
    }

    private static void assertInvalid(UnifiedRequest request, String naming) {
        GatewayException invalid = catchThrowableOfType(GatewayException.class, () -> CODEC.encodeRequest(request));
        assertThat(invalid).as("invalid request naming %s", naming).isNotNull();
        assertThat(invalid.error().kind()).isEqualTo(ErrorKind.INVALID_REQUEST);
        assertThat(invalid.error().code()).isEqualTo("invalid_request");
        assertThat(invalid.error().message()).contains(naming);
    }

    static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
