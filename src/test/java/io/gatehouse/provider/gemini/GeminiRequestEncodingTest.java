package io.gatehouse.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.pipeline.Json;
import io.gatehouse.provider.translate.EncodedRequest;
import io.gatehouse.provider.translate.Part;
import io.gatehouse.provider.translate.ResponseFormat;
import io.gatehouse.provider.translate.ToolChoice;
import io.gatehouse.provider.translate.ToolSpec;
import io.gatehouse.provider.translate.UnifiedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

import static io.gatehouse.provider.gemini.RequestBuilder.assistant;
import static io.gatehouse.provider.gemini.RequestBuilder.request;
import static io.gatehouse.provider.gemini.RequestBuilder.text;
import static io.gatehouse.provider.gemini.RequestBuilder.user;
import static org.assertj.core.api.Assertions.assertThat;

/** Unified requests encoded for Gemini, compared with the golden bodies under request/. */
class GeminiRequestEncodingTest {
    static final String PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";
    private static final ToolSpec GET_WEATHER = new ToolSpec("get_weather", "Get the current weather",
            json("{\"type\": \"object\", \"properties\": {\"city\": {\"type\": \"string\"}}, \"required\": [\"city\"],"
                    + " \"additionalProperties\": false}"), null);
    private static final ToolSpec GET_TIME = new ToolSpec("get_time", null,
            json("{\"type\": \"object\", \"properties\": {\"timezone\": {\"type\": \"string\", \"default\": \"UTC\"}}}"),
            null);

    private final GeminiOutboundCodec codec = new GeminiOutboundCodec();

    @Test
    void aPlainCallGoesToGenerateContentAndAStreamedOneToStreamGenerateContentAsSse() {
        UnifiedRequest plain = request().messages(user(text("Hi"))).build();
        UnifiedRequest streamed = request().model("models/gemini-2.5-pro").messages(user(text("Hi"))).stream().build();

        EncodedRequest plainRequest = codec.encodeRequest(plain);
        EncodedRequest streamedRequest = codec.encodeRequest(streamed);

        assertThat(codec.type()).isEqualTo("gemini");
        assertThat(plainRequest.path()).isEqualTo("/v1beta/models/gemini-2.5-flash:generateContent");
        assertThat(plainRequest.query()).isNull();
        assertThat(plainRequest.headers()).isEmpty();
        assertThat(streamedRequest.path()).isEqualTo("/v1beta/models/gemini-2.5-pro:streamGenerateContent");
        assertThat(streamedRequest.query()).isEqualTo("alt=sse");
        assertThat(streamedRequest.body()).isEqualTo(plainRequest.body());
    }

    @Test
    void systemPromptAndMultiPartContent() {
        UnifiedRequest request = request()
                .system("You are a concise assistant.", "Answer in French.")
                .messages(
                        user(text("What is in these images?"),
                                new Part.Image(null, "image/png", PNG, null),
                                new Part.Image("https://example.com/photos/cat.jpg?size=large", null, null, "auto"),
                                new Part.Image("data:image/webp;base64,UklGRh4AAABXRUJQVlA4TBEAAAAvAAAAAAfQ//73v/+BiOh/AAA=",
                                        null, null, null)),
                        assistant(text("Un pixel rouge, un chat et une image WebP vide.")),
                        user(text("Et celle-ci ?")),
                        user(new Part.Image("gs://my-bucket/photos/dog.png", null, null, null),
                                new Part.Image("https://example.com/render?id=7", null, null, null)))
                .build();

        assertEncodes(request, "system-and-multipart.json");
    }

    @Test
    void toolSchemasAreCleanedAndParameterlessToolsTakeNone() {
        ToolSpec weather = new ToolSpec("get_weather", "Get the weather forecast for a city", json("""
                {"$schema": "http://json-schema.org/draft-07/schema#", "type": "object", "additionalProperties": false,
                 "properties": {
                   "location": {"type": "string", "description": "City and country, e.g. Paris, France",
                                "examples": ["Paris, France"]},
                   "unit": {"type": ["string", "null"], "enum": ["celsius", "fahrenheit", null], "default": "celsius"},
                   "day": {"$ref": "#/definitions/Day"}
                 },
                 "required": ["location", "unit"],
                 "definitions": {"Day": {"type": "string", "format": "date", "description": "Day, ISO 8601"}}}"""),
                null);
        ToolSpec time = new ToolSpec("get_time", "The current time", json("{\"type\":\"object\",\"properties\":{}}"),
                null);
        ToolSpec ping = new ToolSpec("ping", null, null, null);

        assertEncodes(request().messages(user(text("What's the weather in Paris tomorrow?")))
                .tools(weather, time, ping).build(), "tools-with-cleaned-schema.json");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"AUTO,, tool-choice-auto.json", "NONE,, tool-choice-none.json",
            "REQUIRED,, tool-choice-required.json", "NAMED, get_weather, tool-choice-named.json"})
    void toolChoiceModes(ToolChoice.Mode mode, String name, String golden) {
        assertEncodes(request().messages(user(text("Weather in Lyon?"))).tools(GET_WEATHER, GET_TIME)
                .toolChoice(new ToolChoice(mode, name, null)).build(), golden);
    }

    @Test
    void aStrictToolAsksForValidatedCalls() {
        ToolSpec strictWeather = new ToolSpec(GET_WEATHER.name(), GET_WEATHER.description(), GET_WEATHER.parameters(),
                true);

        assertEncodes(request().messages(user(text("Weather in Lyon?"))).tools(strictWeather, GET_TIME).build(),
                "tool-choice-strict.json");
    }

    @Test
    void noToolChoiceAndNoStrictToolLeaveToolConfigOut() {
        JsonNode body = codec.encodeRequest(request().messages(user(text("Weather in Lyon?")))
                .tools(GET_WEATHER).toolChoice(new ToolChoice(ToolChoice.Mode.AUTO, null, true)).build()).body();
        JsonNode withoutChoice = codec.encodeRequest(request().messages(user(text("Weather in Lyon?")))
                .tools(GET_WEATHER).build()).body();
        JsonNode noneWithoutTools = codec.encodeRequest(request().messages(user(text("Hi")))
                .toolChoice(new ToolChoice(ToolChoice.Mode.NONE, null, null)).build()).body();

        assertThat(body.at("/toolConfig/functionCallingConfig/mode").asText()).isEqualTo("AUTO");
        assertThat(withoutChoice.has("toolConfig")).isFalse();
        assertThat(noneWithoutTools.has("toolConfig")).isFalse();
        assertThat(noneWithoutTools.has("tools")).isFalse();
    }

    @Test
    void toolResultsGoBackByFunctionNameWithErrorsJsonAndImages() {
        ToolSpec weather = new ToolSpec("get_weather", null,
                json("{\"type\":\"object\",\"properties\":{\"location\":{\"type\":\"string\"}}}"), null);
        ToolSpec time = new ToolSpec("get_time", null, null, null);
        ToolSpec map = new ToolSpec("get_map", null, json("{\"type\":\"object\",\"properties\":{\"city\":"
                + "{\"type\":\"string\"},\"zoom\":{\"type\":\"integer\"}}}"), null);
        UnifiedRequest request = request()
                .messages(
                        user(text("Weather in Paris and Tokyo, and the time in Paris?")),
                        assistant(text("Let me check."),
                                new Part.ToolCall("call_1", "get_weather", "{\"location\":\"Paris\"}"),
                                new Part.ToolCall("call_2", "get_weather", "{\"location\": \"Tokyo\"}"),
                                new Part.ToolCall("call_3", "get_time", "")),
                        user(new Part.ToolResult("call_1", List.of(text("{\"temperature\":18,\"sky\":\"cloudy\"}")), false),
                                new Part.ToolResult("call_2", List.of(text("Service unavailable for Tokyo")), true),
                                new Part.ToolResult("call_3", List.of(text("14:05")), false)),
                        assistant(new Part.ToolCall("call_4", "get_map", "{\"city\":\"Paris\",\"zoom\":12}")),
                        user(new Part.ToolResult("call_4", List.of(text("Here is the map."),
                                new Part.Image(null, "image/png", PNG, null), text("North is up.")), false),
                                text("Describe the map, please.")))
                .tools(weather, time, map)
                .build();

        assertEncodes(request, "tool-results-by-name.json");
    }

    @Test
    void geminisOwnThinkingAndSignaturesGoBackAndOtherProvidersReasoningDoesNot() {
        UnifiedRequest request = request()
                .messages(
                        user(text("Is 97 prime? Then look up the weather in Oslo.")),
                        assistant(new Part.Thinking("**Checking primality**\nNo prime up to 9 divides 97.", null),
                                text("97 is prime."),
                                new Part.Thinking("", "gemini:CiQBcsjafJ8sg2UBGLp0dfTQ/2SyWqOLixsz2JcUDCdS0+AGrIMKYgFyyNp8"),
                                new Part.ToolCall("call_w", "get_weather", "{\"city\":\"Oslo\"}"),
                                new Part.Thinking("", "gemini:CmQBcsjafFtcn0zDTN8ZvvbhNsmTT3SmSaAk0qMw8mn1eSMoYytMm2Ew")),
                        user(new Part.ToolResult("call_w", List.of(text("-3°C, snow")), false)),
                        assistant(new Part.Thinking("The user wants Oslo's weather; the tool said snow.",
                                        "EqQBCkYIARgCIkDp6x0rZ1yR9fb0Q3fN0y7lY2x0M5wZ"),
                                new Part.RedactedThinking("EmwKAhgBEgyLb6NHo5x0m1hH4YEaDPxM"),
                                text("It is -3°C and snowing in Oslo.")),
                        user(text("Thanks! And in Bergen?")),
                        assistant(new Part.Thinking("**Planning**\nSame tool, other city.",
                                        "gemini:Cr0BcsjafD2OBmz/7Mrx0mhXYpVxUkpc1BWU"),
                                text("Let me check Bergen."),
                                new Part.ToolCall("call_b", "get_weather", "{\"city\":\"Bergen\"}")),
                        user(new Part.ToolResult("call_b", List.of(text("2°C, rain")), false)))
                .tools(new ToolSpec("get_weather", null, json("{\"type\":\"object\",\"properties\":{\"city\":"
                        + "{\"type\":\"string\"}},\"required\":[\"city\"]}"), null))
                .build();

        assertEncodes(request, "thinking-history.json");
    }

    @Test
    void aSignatureCarrierBeforeItsPartAttachesForward() {
        JsonNode body = codec.encodeRequest(request().messages(
                user(text("Go")),
                assistant(new Part.Thinking("", "gemini:c2ln"),
                        new Part.ToolCall("c1", "f", "{}"),
                        new Part.Thinking("", "gemini:bGF0ZQ==")),
                user(new Part.ToolResult("c1", List.of(text("ok")), false))).build()).body();

        assertThat(body.at("/contents/1/parts")).isEqualTo(json(
                "[{\"functionCall\":{\"name\":\"f\",\"args\":{}},\"thoughtSignature\":\"c2ln\"}]"));
    }

    @Test
    void aModelTurnOfOnlyForeignReasoningIsLeftOutAndItsNeighboursMerge() {
        JsonNode body = codec.encodeRequest(request().messages(
                user(text("One")),
                assistant(new Part.Thinking("mine", "anthropic-signature"), new Part.RedactedThinking("xyz")),
                user(text("Two"))).build()).body();

        assertThat(body.get("contents")).isEqualTo(json(
                "[{\"role\":\"user\",\"parts\":[{\"text\":\"One\"},{\"text\":\"Two\"}]}]"));
    }

    @Test
    void generationSettingsAndAnEffortMappedToAThinkingBudget() {
        assertEncodes(request().messages(user(text("Write a haiku about autumn.")))
                .maxTokens(1024).temperature(0.7).topP(0.95).topK(40).stop("END", "###").seed(42)
                .penalties(0.5, 0.25).reasoning("high", null).build(), "generation-config.json");
    }

    @Test
    void aThinkingBudgetGoesAsIs() {
        assertEncodes(request().messages(user(text("How many r's are in strawberry?")))
                .maxTokens(4096).reasoning(null, 2048).build(), "thinking-budget.json");
    }

    @ParameterizedTest(name = "{0}/{1}")
    @CsvSource({"none,, 0", "minimal,, 1024", "LOW,, 1024", "medium,, 8192", "high, 0, 0", ", -1, -1"})
    void effortsAndBudgetsMapToThinkingBudgets(String effort, Integer budget, int expected) {
        JsonNode thinking = codec.encodeRequest(request().messages(user(text("Hi"))).reasoning(effort, budget)
                .build()).body().at("/generationConfig/thinkingConfig");

        assertThat(thinking.get("thinkingBudget").asInt()).isEqualTo(expected);
        // Thoughts are asked for whenever the model thinks at all.
        assertThat(thinking.path("includeThoughts").asBoolean()).isEqualTo(expected != 0);
    }

    @Test
    void aJsonSchemaGoesToResponseJsonSchemaCleaned() {
        ResponseFormat format = new ResponseFormat(ResponseFormat.Kind.JSON_SCHEMA, "weather_report", json("""
                {"type": "object",
                 "properties": {
                   "city": {"type": "string"},
                   "temperature_c": {"type": "number", "minimum": -90, "maximum": 60},
                   "conditions": {"type": "string", "enum": ["sunny", "cloudy", "rain", "snow"]},
                   "wind": {"$ref": "#/$defs/Wind"}
                 },
                 "required": ["city", "temperature_c", "conditions"],
                 "additionalProperties": false,
                 "$defs": {"Wind": {"type": "object", "additionalProperties": false, "properties": {
                    "speed_kmh": {"type": "number"},
                    "direction": {"type": "string", "pattern": "^[NSEW]{1,2}$"}}}}}"""), true);

        assertEncodes(request().messages(user(text("Report the weather in Nice as JSON."))).responseFormat(format)
                .build(), "json-schema.json");
    }

    @Test
    void jsonObjectAndTextFormatsSetOnlyTheMimeType() {
        JsonNode jsonObject = codec.encodeRequest(request().messages(user(text("Hi")))
                .responseFormat(new ResponseFormat(ResponseFormat.Kind.JSON_OBJECT, null, null, null)).build()).body();
        JsonNode plainText = codec.encodeRequest(request().messages(user(text("Hi")))
                .responseFormat(new ResponseFormat(ResponseFormat.Kind.TEXT, null, null, null)).build()).body();

        assertThat(jsonObject.get("generationConfig")).isEqualTo(json("{\"responseMimeType\":\"application/json\"}"));
        assertThat(plainText.get("generationConfig")).isEqualTo(json("{\"responseMimeType\":\"text/plain\"}"));
    }

    @Test
    void encodingIsAPureFunctionOfTheRequest() {
        UnifiedRequest request = request().messages(user(text("Hi")),
                assistant(new Part.ToolCall("c", "f", "{\"a\":1}")),
                user(new Part.ToolResult("c", List.of(text("done")), false))).build();

        assertThat(codec.encodeRequest(request).body()).isEqualTo(codec.encodeRequest(request).body());
    }

    private void assertEncodes(UnifiedRequest request, String golden) {
        assertThat(codec.encodeRequest(request).body()).isEqualTo(GeminiGoldens.json("request/" + golden));
    }

    static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
