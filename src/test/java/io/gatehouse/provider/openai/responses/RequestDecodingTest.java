package io.gatehouse.provider.openai.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.core.JsonValue;
import com.openai.core.ObjectMappers;
import com.openai.models.Reasoning;
import com.openai.models.ReasoningEffort;
import com.openai.models.responses.EasyInputMessage;
import com.openai.models.responses.FunctionTool;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseInputItem;
import io.gatehouse.pipeline.ErrorKind;
import io.gatehouse.pipeline.GatewayException;
import io.gatehouse.pipeline.Json;
import io.gatehouse.provider.translate.Message;
import io.gatehouse.provider.translate.Part;
import io.gatehouse.provider.translate.ResponseFormat;
import io.gatehouse.provider.translate.Role;
import io.gatehouse.provider.translate.ToolChoice;
import io.gatehouse.provider.translate.ToolSpec;
import io.gatehouse.provider.translate.UnifiedRequest;
import io.gatehouse.provider.translate.UnsupportedFeature;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class RequestDecodingTest {
    private final ResponsesInboundCodec codec = new ResponsesInboundCodec(Goldens.CLOCK);

    @Test
    void aStringInputIsOneUserMessageAndSamplingSettingsCarryOver() {
        UnifiedRequest request = decode("requests/string-input.json");

        assertThat(request).isEqualTo(new UnifiedRequest("claude-sonnet-4-5", List.of(),
                List.of(new Message(Role.USER, List.of(new Part.Text("Write a haiku about gateways.")))),
                List.of(), null, 256, 0.7, 0.9, null, List.of(), null, null, null, null, null, "user-1234",
                false, false));
    }

    @Test
    void instructionsComeFirstThenSystemAndDeveloperMessagesInOrder() {
        UnifiedRequest request = decode("requests/instructions-and-system-messages.json");

        assertThat(request.system()).containsExactly(new Part.Text("You are a terse assistant."),
                new Part.Text("Answer in French."), new Part.Text("Never use lists."));
        assertThat(request.messages()).containsExactly(
                new Message(Role.USER, List.of(new Part.Text("What is a gateway?"))));
        assertThat(request.stream()).isTrue();
        assertThat(request.includeUsage()).as("a streamed Responses answer always ends with usage").isTrue();
    }

    @Test
    void imagesByUrlAndAsDataUrlsKeepTheirDetail() {
        UnifiedRequest request = decode("requests/images.json");

        assertThat(request.messages()).containsExactly(new Message(Role.USER, List.of(
                new Part.Text("What differs between these two pictures?"),
                new Part.Image("https://upload.wikimedia.org/wikipedia/commons/3/3f/Fronalpstock_big.jpg", null, null,
                        "high"),
                new Part.Image(null, "image/png", "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"
                        + "+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==", "auto"))));
    }

    @Test
    void functionCallsAndTheirOutputsBecomeOneAssistantTurnAndOneTurnOfToolResults() {
        UnifiedRequest request = decode("requests/function-call-round-trip.json");

        assertThat(request.messages()).containsExactly(
                new Message(Role.USER, List.of(
                        new Part.Text("What is the weather in Paris and in Tokyo? Also show me the radar."))),
                new Message(Role.ASSISTANT, List.of(
                        new Part.Text("Checking both cities."),
                        new Part.ToolCall("call_paris", "get_weather", "{\"city\":\"Paris\"}"),
                        new Part.ToolCall("call_tokyo", "get_weather", "{\"city\":\"Tokyo\"}"))),
                new Message(Role.USER, List.of(
                        new Part.ToolResult("call_paris", List.of(new Part.Text("{\"celsius\":18,\"sky\":\"cloudy\"}")),
                                false),
                        new Part.ToolResult("call_tokyo", List.of(
                                new Part.Text("{\"celsius\":24,\"sky\":\"clear\"}"),
                                new Part.Image("https://example.com/radar/tokyo.png", null, null, "low")), false))),
                new Message(Role.USER, List.of(new Part.Text("Which one is warmer?"))));
        assertThat(request.tools()).containsExactly(
                new ToolSpec("get_weather", "Current weather for a city", json("""
                        {"type":"object","properties":{"city":{"type":"string"}},"required":["city"],
                         "additionalProperties":false}"""), true),
                new ToolSpec("get_time", null, json("{\"type\":\"object\",\"properties\":{}}"), null));
        assertThat(request.toolChoice()).isEqualTo(new ToolChoice(ToolChoice.Mode.NAMED, "get_weather", false));
    }

    @Test
    void reasoningItemsBecomeThinkingWithTheirSignatureAndRedactedThinkingStaysRedacted() {
        UnifiedRequest request = decode("requests/reasoning-items.json");

        assertThat(request.messages()).containsExactly(
                new Message(Role.USER, List.of(new Part.Text("Is 1001 prime? Use the calculator."))),
                new Message(Role.ASSISTANT, List.of(
                        new Part.Thinking("1001 looks divisible by 7.\n\nCheck with the tool.",
                                "EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxDYq+6OKp8uuIoyGsiMOxp1L9QbF3M0TdX"),
                        new Part.RedactedThinking("EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr3qpP"),
                        new Part.ToolCall("toolu_01A09q90qw90lq917835lq9", "divide", "{\"a\":1001,\"b\":7}"))),
                new Message(Role.USER, List.of(new Part.ToolResult("toolu_01A09q90qw90lq917835lq9",
                        List.of(new Part.Text("143")), false))));
        assertThat(request.reasoning()).isEqualTo(new io.gatehouse.provider.translate.Reasoning("high", null));
        assertThat(request.toolChoice()).isEqualTo(new ToolChoice(ToolChoice.Mode.REQUIRED, null, null));
        assertThat(request.tools()).extracting(ToolSpec::strict).containsExactly(false);
    }

    @Test
    void aJsonSchemaFormatKeepsNameAndStrictAndItsDescriptionGoesIntoTheSchema() {
        UnifiedRequest request = decode("requests/json-schema.json");

        assertThat(request.responseFormat()).isEqualTo(new ResponseFormat(ResponseFormat.Kind.JSON_SCHEMA,
                "calendar_event", json("""
                {"type":"object","properties":{"name":{"type":"string"},"date":{"type":"string"},
                 "participants":{"type":"array","items":{"type":"string"}}},
                 "required":["name","date","participants"],"additionalProperties":false,
                 "description":"An event on a calendar"}"""), true));
    }

    @Test
    void textAndJsonObjectFormatsAndEveryToolChoiceMode() {
        assertThat(decode(body("\"text\":{\"format\":{\"type\":\"json_object\"}}")).responseFormat())
                .isEqualTo(new ResponseFormat(ResponseFormat.Kind.JSON_OBJECT, null, null, null));
        assertThat(decode(body("\"text\":{\"format\":{\"type\":\"text\"}}")).responseFormat())
                .isEqualTo(new ResponseFormat(ResponseFormat.Kind.TEXT, null, null, null));
        for (Map.Entry<String, ToolChoice.Mode> choice : Map.of("auto", ToolChoice.Mode.AUTO,
                "none", ToolChoice.Mode.NONE, "required", ToolChoice.Mode.REQUIRED).entrySet()) {
            assertThat(decode(body(withTool("\"tool_choice\":\"" + choice.getKey() + "\""))).toolChoice())
                    .isEqualTo(new ToolChoice(choice.getValue(), null, null));
        }
        assertThat(decode(body(withTool("\"parallel_tool_calls\":false"))).toolChoice())
                .as("parallel_tool_calls alone").isEqualTo(new ToolChoice(ToolChoice.Mode.AUTO, null, false));
        assertThat(decode(body("\"parallel_tool_calls\":true")).toolChoice()).as("without tools").isNull();
    }

    @Test
    void aReasoningItemWithNothingInItCarriesNothing() {
        UnifiedRequest request = decode(body("\"input\":[{\"role\":\"user\",\"content\":\"Hi\"},"
                + "{\"type\":\"reasoning\",\"id\":\"rs_1\",\"summary\":[]},"
                + "{\"role\":\"assistant\",\"content\":\"Hello\"}]"));

        assertThat(request.messages()).containsExactly(new Message(Role.USER, List.of(new Part.Text("Hi"))),
                new Message(Role.ASSISTANT, List.of(new Part.Text("Hello"))));
    }

    @Test
    void aRequestBuiltByTheOpenAiJavaSdkDecodes() throws IOException {
        ResponseCreateParams params = ResponseCreateParams.builder()
                .model("claude-sonnet-4-5")
                .instructions("Be brief.")
                .inputOfResponse(List.of(
                        ResponseInputItem.ofEasyInputMessage(EasyInputMessage.builder()
                                .role(EasyInputMessage.Role.USER).content("Weather in Oslo?").build()),
                        ResponseInputItem.ofFunctionCall(com.openai.models.responses.ResponseFunctionToolCall.builder()
                                .callId("call_1").name("get_weather").arguments("{\"city\":\"Oslo\"}").build()),
                        ResponseInputItem.ofFunctionCallOutput(ResponseInputItem.FunctionCallOutput.builder()
                                .callId("call_1").output("-3 C").build())))
                .addTool(FunctionTool.builder().name("get_weather").strict(true)
                        .parameters(FunctionTool.Parameters.builder()
                                .putAdditionalProperty("type", JsonValue.from("object")).build())
                        .build())
                .reasoning(Reasoning.builder().effort(ReasoningEffort.LOW).build())
                .maxOutputTokens(100L)
                .build();
        JsonNode body = Json.MAPPER.readTree(ObjectMappers.jsonMapper().writeValueAsString(params._body()));

        UnifiedRequest request = codec.decodeRequest(body);

        assertThat(request.system()).containsExactly(new Part.Text("Be brief."));
        assertThat(request.messages()).containsExactly(
                new Message(Role.USER, List.of(new Part.Text("Weather in Oslo?"))),
                new Message(Role.ASSISTANT, List.of(new Part.ToolCall("call_1", "get_weather", "{\"city\":\"Oslo\"}"))),
                new Message(Role.USER, List.of(new Part.ToolResult("call_1", List.of(new Part.Text("-3 C")), false))));
        assertThat(request.tools()).containsExactly(
                new ToolSpec("get_weather", null, json("{\"type\":\"object\"}"), true));
        assertThat(request.reasoning()).isEqualTo(new io.gatehouse.provider.translate.Reasoning("low", null));
        assertThat(request.maxTokens()).isEqualTo(100);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            previous-response-id        | previous_response_id needs the earlier response stored by OpenAI
            conversation                | conversation needs a conversation stored by OpenAI
            background                  | background=true
            prompt                      | prompt refers to a prompt template stored by OpenAI
            include-file-search-results | include value 'file_search_call.results'
            truncation-auto             | truncation=auto
            top-logprobs                | top_logprobs
            n-two                       | n=2
            item-reference              | input[1] is an item_reference
            computer-call-item          | input[0] is a 'computer_call' item
            web-search-tool             | tools[1] is OpenAI's 'web_search' tool
            file-search-tool            | tools[0] is OpenAI's 'file_search' tool
            code-interpreter-tool       | tools[0] is OpenAI's 'code_interpreter' tool
            computer-use-tool           | tools[0] is OpenAI's 'computer_use_preview' tool
            image-generation-tool       | tools[0] is OpenAI's 'image_generation' tool
            mcp-tool                    | tools[0] is OpenAI's 'mcp' tool
            hosted-tool-choice          | tool_choice of type 'web_search_preview'
            allowed-tools-choice        | tool_choice of type 'allowed_tools'
            input-file                  | input[0].content[0] is an input_file
            image-file-id               | input[0].content[0].file_id names a file stored by OpenAI
            verbosity-low               | text.verbosity=low
            unknown-parameter           | the parameter 'frobnicate'
            image-in-system-message     | input[0].content: a system or developer message can only hold text
            """)
    void whatOnlyOpenAiCanDoIsRefusedNamingIt(String fixture, String expectedMessage) {
        GatewayException refusal = catchThrowableOfType(GatewayException.class,
                () -> codec.decodeRequest(Goldens.json("refused/" + fixture + ".json")));

        assertThat(refusal).as("refused").isNotNull();
        assertThat(refusal.error().kind()).isEqualTo(ErrorKind.INVALID_REQUEST);
        assertThat(refusal.error().status()).isEqualTo(400);
        assertThat(refusal.error().code()).isEqualTo(UnsupportedFeature.CODE);
        assertThat(refusal.error().message()).contains(expectedMessage);
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', textBlock = """
            "input":[{"role":"user","content":"Hi"}]                                  | model is required
            "model":42,"input":"Hi"                                                   | model must be a string
            "model":"m"                                                               | input is required
            "model":"m","input":42                                                    | input must be a string or an array of items
            "model":"m","input":[]                                                    | input must hold at least one item
            "model":"m","input":["Hi"]                                                | input[0] must be an object
            "model":"m","input":[{"content":"Hi"}]                                    | input[0].type is required
            "model":"m","input":[{"role":"robot","content":"Hi"}]                     | input[0].role must be one of user, assistant, system, developer
            "model":"m","input":[{"role":"user"}]                                     | input[0].content is required
            "model":"m","input":[{"role":"user","content":{"text":"Hi"}}]             | input[0].content must be a string or an array of content parts
            "model":"m","input":[{"role":"user","content":[{"type":"input_text"}]}]   | input[0].content[0].text is required
            "model":"m","input":[{"role":"user","content":[{"type":"input_text","text":7}]}] | input[0].content[0].text must be a string
            "model":"m","input":[{"role":"user","content":[{"type":"input_image","image_url":"data:image/png,abc"}]}] | input[0].content[0].image_url must be an http(s) URL or a base64 data: URL
            "model":"m","input":[{"role":"user","content":[{"type":"input_image","image_url":"data:;base64,abc"}]}] | input[0].content[0].image_url must name the image's media type
            "model":"m","input":[{"type":"function_call","call_id":"c","name":"f","arguments":{}}] | input[0].arguments must be a string
            "model":"m","input":[{"type":"function_call_output","call_id":"c"}]       | input[0].output is required
            "model":"m","input":[{"type":"function_call_output","call_id":"c","output":[{"type":"refusal","refusal":"no"}]}] | input[0].output[0] must be input_text, input_image or input_file
            "model":"m","input":[{"type":"reasoning","summary":[{"type":"reasoning_text","text":"x"}]}] | input[0].summary[0].type must be summary_text
            "model":"m","input":"Hi","max_output_tokens":"many"                       | max_output_tokens must be an integer
            "model":"m","input":"Hi","temperature":"hot"                              | temperature must be a number
            "model":"m","input":"Hi","stream":"yes"                                   | stream must be a boolean
            "model":"m","input":"Hi","tools":{}                                       | tools must be an array
            "model":"m","input":"Hi","tools":[{"type":"function"}]                    | tools[0].name is required
            "model":"m","input":"Hi","tools":[{"type":"function","name":"f","parameters":"{}"}] | tools[0].parameters must be an object
            "model":"m","input":"Hi","tool_choice":"always"                           | tool_choice must be auto, none, required or an object
            "model":"m","input":"Hi","tool_choice":{"type":"function"}                | tool_choice.name is required
            "model":"m","input":"Hi","text":{"format":{"type":"yaml"}}                | text.format.type must be text, json_object or json_schema
            "model":"m","input":"Hi","text":{"format":{"type":"json_schema","name":"x"}} | text.format.schema is required
            "model":"m","input":"Hi","reasoning":{"effort":3}                         | reasoning.effort must be a string
            "model":"m","input":"Hi","include":[1]                                    | include[0] must be a string
            "model":"m","input":"Hi","truncation":"sometimes"                         | truncation must be auto or disabled
            """)
    void invalidInputIsA400NamingTheField(String fields, String expectedMessage) {
        GatewayException error = catchThrowableOfType(GatewayException.class,
                () -> codec.decodeRequest(json("{" + fields + "}")));

        assertThat(error).as("rejected").isNotNull();
        assertThat(error.error().kind()).isEqualTo(ErrorKind.INVALID_REQUEST);
        assertThat(error.error().code()).isEqualTo("invalid_request");
        assertThat(error.error().message()).startsWith(expectedMessage);
    }

    @Test
    void aBodyThatIsNotAnObjectIsRejected() {
        GatewayException error = catchThrowableOfType(GatewayException.class,
                () -> codec.decodeRequest(json("[1,2]")));

        assertThat(error.error().message()).isEqualTo("the request body must be a JSON object");
    }

    private UnifiedRequest decode(String fixture) {
        return codec.decodeRequest(Goldens.json(fixture));
    }

    private UnifiedRequest decode(JsonNode body) {
        return codec.decodeRequest(body);
    }

    /** A minimal request with the given fields added (an {@code input} among them replaces the default one). */
    private static JsonNode body(String fields) {
        String input = fields.contains("\"input\"") ? "" : "\"input\":\"Hi\",";
        return json("{\"model\":\"m\"," + input + fields + "}");
    }

    private static String withTool(String fields) {
        return "\"tools\":[{\"type\":\"function\",\"name\":\"f\",\"parameters\":{\"type\":\"object\"}}]," + fields;
    }

    private static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
