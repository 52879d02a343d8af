package io.gatehouse.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.pipeline.ErrorKind;
import io.gatehouse.pipeline.GatewayError;
import io.gatehouse.pipeline.GatewayException;
import io.gatehouse.provider.translate.InboundApi;
import io.gatehouse.provider.translate.Message;
import io.gatehouse.provider.translate.Part;
import io.gatehouse.provider.translate.ResponseFormat;
import io.gatehouse.provider.translate.Role;
import io.gatehouse.provider.translate.StopReason;
import io.gatehouse.provider.translate.StreamEvent;
import io.gatehouse.provider.translate.TokenUsage;
import io.gatehouse.provider.translate.ToolChoice;
import io.gatehouse.provider.translate.UnifiedRequest;
import io.gatehouse.provider.translate.UnifiedResponse;
import io.gatehouse.provider.translate.UnsupportedFeature;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.stream.Stream;

import static io.gatehouse.provider.openai.ChatGoldenCases.parse;
import static io.gatehouse.provider.openai.OpenAiChatGoldens.assertSameJson;
import static io.gatehouse.provider.openai.OpenAiChatGoldens.assertSameSse;
import static io.gatehouse.provider.openai.OpenAiChatGoldens.encodeAll;
import static io.gatehouse.provider.openai.OpenAiChatGoldens.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class ChatInboundCodecTest {
    private static final InstantSource CLOCK = InstantSource.fixed(Instant.ofEpochSecond(1_754_000_000L));
    private final ChatInboundCodec codec = new ChatInboundCodec(CLOCK);

    @Test
    void speaksOpenAiChat() {
        assertThat(codec.api()).isEqualTo(InboundApi.OPENAI_CHAT);
        assertThat(codec.format()).isSameAs(OpenAiFormat.INSTANCE);
    }

    // ---- requests ----

    @Test
    void decodesAConversationWithSystemPromptsThinkingParallelToolCallsAndTheirResults() {
        assertThat(codec.decodeRequest(json("request-conversation.json"))).isEqualTo(ChatGoldenCases.conversation());
    }

    @Test
    void decodesImagesByUrlAndInlineWithTheirDetail() {
        assertThat(codec.decodeRequest(json("request-images.json"))).isEqualTo(ChatGoldenCases.images());
    }

    @Test
    void decodesAJsonSchemaResponseFormatKeepingTheSchemaAsSent() {
        UnifiedRequest decoded = codec.decodeRequest(json("request-json-schema.json"));
        assertThat(decoded).isEqualTo(ChatGoldenCases.jsonSchema());
        assertThat(decoded.responseFormat().schema().at("/properties/name/minLength").asInt()).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            "auto"                                               | AUTO     |
            "none"                                               | NONE     |
            "required"                                           | REQUIRED |
            {"type": "function", "function": {"name": "lookup"}} | NAMED    | lookup
            """)
    void decodesEachToolChoice(String choice, ToolChoice.Mode mode, String name) {
        UnifiedRequest decoded = codec.decodeRequest(request("\"tool_choice\": " + choice));
        assertThat(decoded.toolChoice()).isEqualTo(new ToolChoice(mode, name, null));
    }

    @Test
    void parallelToolCallsAloneMeansAutoWithThatSetting() {
        UnifiedRequest decoded = codec.decodeRequest(request("\"parallel_tool_calls\": true"));
        assertThat(decoded.toolChoice()).isEqualTo(new ToolChoice(ToolChoice.Mode.AUTO, null, true));
    }

    @Test
    void readsTheOtherFormsOfItsFields() {
        UnifiedRequest decoded = codec.decodeRequest(request("""
                "max_tokens": 50, "max_completion_tokens": 70, "stop": ["a", "b"],
                "response_format": {"type": "json_object"}, "stream": true, "n": 1, "logprobs": false,
                "modalities": ["text"], "top_logprobs": null"""));
        assertThat(decoded.maxTokens()).as("max_completion_tokens wins").isEqualTo(70);
        assertThat(decoded.stop()).containsExactly("a", "b");
        assertThat(decoded.responseFormat().kind()).isEqualTo(ResponseFormat.Kind.JSON_OBJECT);
        assertThat(decoded.stream()).isTrue();
        assertThat(decoded.includeUsage()).as("not asked for").isFalse();
    }

    @Test
    void consecutiveToolMessagesMergeAndAnErrorSaidInWordsStaysText() {
        UnifiedRequest decoded = codec.decodeRequest(parse("""
                {"model": "m", "messages": [
                  {"role": "user", "content": "go"},
                  {"role": "assistant", "content": null, "tool_calls": [
                    {"id": "a", "type": "function", "function": {"name": "f", "arguments": "{}"}},
                    {"id": "b", "type": "function", "function": {"name": "g", "arguments": "{}"}}]},
                  {"role": "tool", "tool_call_id": "a", "content": "Error: boom"},
                  {"role": "tool", "tool_call_id": "b", "content": "ok"},
                  {"role": "assistant", "content": "done"}]}"""));
        assertThat(decoded.messages()).containsExactly(
                new Message(Role.USER, List.of(new Part.Text("go"))),
                new Message(Role.ASSISTANT, List.of(new Part.ToolCall("a", "f", "{}"), new Part.ToolCall("b", "g", "{}"))),
                new Message(Role.USER, List.of(
                        new Part.ToolResult("a", List.of(new Part.Text("Error: boom")), false),
                        new Part.ToolResult("b", List.of(new Part.Text("ok")), false))),
                new Message(Role.ASSISTANT, List.of(new Part.Text("done"))));
    }

    @Test
    void reasoningTextWithoutThinkingBlocksIsUnsignedThinking() {
        UnifiedRequest decoded = codec.decodeRequest(parse("""
                {"model": "m", "messages": [
                  {"role": "user", "content": "hi"},
                  {"role": "assistant", "reasoning_content": "hmm", "content": [{"type": "text", "text": "a"},
                                                                                 {"type": "refusal", "refusal": "no"}]},
                  {"role": "user", "content": [{"type": "file", "file": {"file_id": "file-1"}}]}]}"""));
        assertThat(decoded.messages().get(1).parts())
                .containsExactly(new Part.Thinking("hmm", null), new Part.Text("a"), new Part.Text("no"));
        assertThat(decoded.messages().get(2).parts().getFirst()).isInstanceOf(Part.Opaque.class);
    }

    static Stream<Arguments> untranslatable() {
        return Stream.of(
                Arguments.of("\"n\": 2", "n"),
                Arguments.of("\"logprobs\": true", "logprobs"),
                Arguments.of("\"top_logprobs\": 3", "top_logprobs"),
                Arguments.of("\"logit_bias\": {\"50256\": -100}", "logit_bias"),
                Arguments.of("\"audio\": {\"voice\": \"alloy\", \"format\": \"wav\"}", "audio"),
                Arguments.of("\"modalities\": [\"text\", \"audio\"]", "modalities"),
                Arguments.of("\"prediction\": {\"type\": \"content\", \"content\": \"x\"}", "prediction"),
                Arguments.of("\"web_search_options\": {}", "web_search_options"),
                Arguments.of("\"functions\": [{\"name\": \"f\"}]", "functions"),
                Arguments.of("\"function_call\": \"auto\"", "function_call"),
                Arguments.of("\"verbosity\": \"low\"", "verbosity"),
                Arguments.of("\"tools\": [{\"type\": \"custom\", \"custom\": {\"name\": \"c\"}}]", "tools[0].type"),
                Arguments.of("\"tool_choice\": {\"type\": \"allowed_tools\", \"allowed_tools\": {}}",
                        "tool_choice.type"),
                Arguments.of("\"response_format\": {\"type\": \"json_schema\", \"json_schema\": {\"name\": \"x\","
                        + " \"description\": \"d\", \"schema\": {}}}", "response_format.json_schema.description"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("untranslatable")
    void refusesWhatCannotBeCarriedNamingTheField(String field, String named) {
        GatewayException refused = catchThrowableOfType(GatewayException.class,
                () -> codec.decodeRequest(request(field)));
        assertThat(refused).as("refused").isNotNull();
        assertThat(refused.error().code()).isEqualTo(UnsupportedFeature.CODE);
        assertThat(refused.error().status()).isEqualTo(400);
        assertThat(refused.error().message()).contains(named);
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', textBlock = """
            {"role": "user", "name": "alice", "content": "hi"}                         | messages[0].name
            {"role": "function", "content": "x"}                                       | messages[0].role
            {"role": "assistant", "audio": {"id": "audio_1"}}                          | messages[0].audio
            {"role": "assistant", "function_call": {"name": "f", "arguments": "{}"}}   | messages[0].function_call
            """)
    void refusesMessagesThatCannotBeCarried(String message, String named) {
        GatewayException refused = catchThrowableOfType(GatewayException.class,
                () -> codec.decodeRequest(parse("{\"model\": \"m\", \"messages\": [" + message + "]}")));
        assertThat(refused).as("refused").isNotNull();
        assertThat(refused.error().code()).isEqualTo(UnsupportedFeature.CODE);
        assertThat(refused.error().message()).contains(named);
    }

    @Test
    void platformOnlyFieldsAreLeftBehind() {
        UnifiedRequest decoded = codec.decodeRequest(request("""
                "store": true, "metadata": {"k": "v"}, "service_tier": "flex", "prompt_cache_key": "p",
                "safety_identifier": "s\""""));
        assertThat(decoded.messages()).hasSize(1);
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', textBlock = """
            []                                                                                      | JSON object
            {"messages": []}                                                                        | model is required
            {"model": 7, "messages": []}                                                            | model must be a string
            {"model": "m"}                                                                          | messages is required
            {"model": "m", "messages": {}}                                                          | messages must be an array
            {"model": "m", "messages": ["hi"]}                                                      | messages[0] must be an object
            {"model": "m", "messages": [{"content": "hi"}]}                                         | messages[0].role is required
            {"model": "m", "messages": [{"role": "bot", "content": "hi"}]}                          | messages[0].role
            {"model": "m", "messages": [{"role": "user"}]}                                          | messages[0].content is required
            {"model": "m", "messages": [{"role": "user", "content": 5}]}                            | messages[0].content must be a string or an array
            {"model": "m", "messages": [{"role": "user", "content": [{"type": "video"}]}]}          | messages[0].content[0].type
            {"model": "m", "messages": [{"role": "user", "content": [{"type": "text"}]}]}           | messages[0].content[0].text is required
            {"model": "m", "messages": [{"role": "user", "content": [{"type": "image_url", "image_url": {}}]}]} | messages[0].content[0].image_url.url is required
            {"model": "m", "messages": [{"role": "user", "content": [{"type": "image_url", "image_url": {"url": "data:image/png,abc"}}]}]} | messages[0].content[0].image_url.url
            {"model": "m", "messages": [{"role": "system", "content": [{"type": "image_url"}]}]}    | messages[0].content[0].type
            {"model": "m", "messages": [{"role": "tool", "content": "x"}]}                          | messages[0].tool_call_id is required
            {"model": "m", "messages": [{"role": "assistant", "tool_calls": [{"id": "a", "type": "function", "function": {"name": "f", "arguments": {}}}]}]} | messages[0].tool_calls[0].function.arguments must be a string
            {"model": "m", "messages": [{"role": "assistant", "tool_calls": [{"type": "function", "function": {"name": "f", "arguments": "{}"}}]}]} | messages[0].tool_calls[0].id is required
            {"model": "m", "messages": [{"role": "assistant", "thinking_blocks": [{"type": "x"}]}]}  | messages[0].thinking_blocks[0].type
            {"model": "m", "messages": [], "temperature": "hot"}                                    | temperature must be a number
            {"model": "m", "messages": [], "max_tokens": 1.5}                                       | max_tokens must be an integer
            {"model": "m", "messages": [], "stop": [1]}                                             | stop must be a string or an array of strings
            {"model": "m", "messages": [], "stream": "yes"}                                         | stream must be a boolean
            {"model": "m", "messages": [], "tools": [{"type": "function"}]}                         | tools[0].function is required
            {"model": "m", "messages": [], "tool_choice": "sometimes"}                               | tool_choice
            {"model": "m", "messages": [], "response_format": {"type": "yaml"}}                     | response_format.type
            {"model": "m", "messages": [], "stream_options": {"include_usage": 1}}                  | stream_options.include_usage must be a boolean
            """)
    void invalidRequestsAreRefusedNamingTheField(String body, String message) {
        GatewayException invalid = catchThrowableOfType(GatewayException.class, () -> codec.decodeRequest(parse(body)));
        assertThat(invalid).as("an invalid request").isNotNull();
        assertThat(invalid.error().kind()).isEqualTo(ErrorKind.INVALID_REQUEST);
        assertThat(invalid.error().code()).isEqualTo("invalid_request");
        assertThat(invalid.error().message()).contains(message);
    }

    // ---- answers ----

    @Test
    void encodesATextAnswerWithCachedTokens() {
        UnifiedResponse answer = new UnifiedResponse("msg_01XFDUDYJgAACzvnptvVoYEL", "claude-sonnet-4-5-20250929",
                List.of(new Part.Text("Grüße aus "), new Part.Text("Köln.")), StopReason.END_TURN, null,
                new TokenUsage(2105, 12, 2048, 57, 0));
        assertSameJson(codec.encodeResponse(answer), json("response-text.encoded.json"), "chat.completion");
    }

    @Test
    void encodesThinkingRedactedThinkingTextAndParallelToolCalls() {
        assertSameJson(codec.encodeResponse(thinkingToolsAnswer()), json("response-thinking-tools.encoded.json"),
                "chat.completion");
    }

    /** An OpenAI client sends the assistant message back as it got it: the signatures reach the provider again. */
    @Test
    void thinkingSignaturesSurviveARoundTripThroughAnOpenAiClient() {
        JsonNode answered = codec.encodeResponse(thinkingToolsAnswer()).at("/choices/0/message");
        UnifiedRequest nextTurn = codec.decodeRequest(nextTurnAfter(answered));
        assertThat(nextTurn.messages().get(1)).isEqualTo(new Message(Role.ASSISTANT, thinkingToolsAnswer().content()));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(textBlock = """
            END_TURN,       stop
            STOP_SEQUENCE,  stop
            MAX_TOKENS,     length
            TOOL_USE,       tool_calls
            CONTENT_FILTER, content_filter
            PAUSE,          stop
            """)
    void mapsEveryStopReason(StopReason reason, String finishReason) {
        JsonNode encoded = codec.encodeResponse(new UnifiedResponse("id", "m", List.of(), reason, null, null));
        assertThat(encoded.at("/choices/0/finish_reason").asText()).isEqualTo(finishReason);
        assertThat(encoded.at("/choices/0/message").get("content").isNull()).as("content null without text").isTrue();
        assertThat(encoded.has("usage")).as("no usage invented").isFalse();
    }

    @Test
    void theStopSequenceThatEndedTheAnswerIsNamedAsVllmDoes() {
        JsonNode encoded = codec.encodeResponse(new UnifiedResponse("id", "m", List.of(new Part.Text("x")),
                StopReason.STOP_SEQUENCE, "###", null));
        assertThat(encoded.at("/choices/0/stop_reason").asText()).isEqualTo("###");
    }

    /** Bedrock names no model in its answers; OpenAI's SDKs refuse an answer without one. */
    @Test
    void anAnswerFromAProviderThatNamesNoModelNamesTheOneAsked() {
        UnifiedResponse unnamed = new UnifiedResponse("id", null, List.of(new Part.Text("x")), StopReason.END_TURN,
                null, null);
        assertThat(codec.encodeResponse(unnamed, streamingRequest(false)).get("model").asText()).isEqualTo("m");
        UnifiedResponse named = new UnifiedResponse("id", "m-2025", List.of(), StopReason.END_TURN, null, null);
        assertThat(codec.encodeResponse(named, streamingRequest(false)).get("model").asText()).isEqualTo("m-2025");

        Buffer streamed = encodeAll(codec.streamEncoder(streamingRequest(true)), List.of(
                new StreamEvent.Start("id", null, null), new StreamEvent.TextStart(0), new StreamEvent.TextDelta(0, "x"),
                new StreamEvent.BlockStop(0), new StreamEvent.Finish(StopReason.END_TURN, null, null),
                new StreamEvent.End()));
        assertThat(OpenAiChatGoldens.sseEvents(streamed)).filteredOn(event -> !event.data().equals("[DONE]"))
                .isNotEmpty().allSatisfy(event -> assertThat(parse(event.data()).get("model").asText()).isEqualTo("m"));
    }

    // ---- streams ----

    @Test
    void encodesAStreamedTextAnswerWithItsUsageChunk() {
        List<StreamEvent> events = List.of(
                new StreamEvent.Start("msg_01XFDUDYJgAACzvnptvVoYEL", "claude-sonnet-4-5-20250929",
                        new TokenUsage(2105, 1, 2048, 57, 0)),
                new StreamEvent.TextStart(0),
                new StreamEvent.TextDelta(0, "Grüße"),
                new StreamEvent.TextDelta(0, " aus Köln."),
                new StreamEvent.BlockStop(0),
                new StreamEvent.Finish(StopReason.END_TURN, null, new TokenUsage(2105, 12, 2048, 57, 0)),
                new StreamEvent.End());
        Buffer encoded = encodeAll(codec.streamEncoder(streamingRequest(true)), events);
        assertSameSse(encoded, "stream-text.encoded.sse");
    }

    /**
     * Text and reasoning deltas are put together from bytes rather than written by a JSON generator: byte for byte
     * the frames the generator writes, also for text that needs escaping, and with the model and id of the stream.
     */
    @Test
    void streamedTextDeltasAreExactlyTheFramesAGeneratorWrites() throws Exception {
        String hard = "quote \" back \\ slash / nl \n tab \t nul \u0000 bell \u0007 del \u007f é 中 😀 \u2028";
        var encoder = codec.streamEncoder(streamingRequest(true));
        encoder.encode(new StreamEvent.Start("id \"1\"", "model/ü", null));
        String text = encoder.encode(new StreamEvent.TextDelta(0, hard)).toString(StandardCharsets.UTF_8);
        String thinking = encoder.encode(new StreamEvent.ThinkingDelta(1, hard)).toString(StandardCharsets.UTF_8);

        assertThat(text).isEqualTo(generatorFrame("content", hard, parse(text.substring(6)).get("created")
                .asLong()));
        assertThat(thinking).isEqualTo(generatorFrame("reasoning_content", hard, parse(thinking.substring(6))
                .get("created").asLong()));
    }

    private static String generatorFrame(String field, String value, long created) throws Exception {
        StringWriter out = new StringWriter();
        try (var json = io.gatehouse.pipeline.Json.MAPPER.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("id", "id \"1\"");
            json.writeStringField("object", "chat.completion.chunk");
            json.writeNumberField("created", created);
            json.writeStringField("model", "model/ü");
            json.writeArrayFieldStart("choices");
            json.writeStartObject();
            json.writeNumberField("index", 0);
            json.writeObjectFieldStart("delta");
            json.writeStringField(field, value);
            json.writeEndObject();
            json.writeNullField("logprobs");
            json.writeNullField("finish_reason");
            json.writeEndObject();
            json.writeEndArray();
            json.writeNullField("usage");
            json.writeEndObject();
        }
        return "data: " + out + "\n\n";
    }

    @Test
    void encodesStreamedThinkingAndToolCallsNumberingToolCallsFromZero() {
        Buffer encoded = encodeAll(codec.streamEncoder(streamingRequest(false)), thinkingToolsEvents());
        assertSameSse(encoded, "stream-thinking-tools.encoded.sse");
    }

    /** The streamed answer, put together as an OpenAI SDK does, and sent back: the signatures are still there. */
    @Test
    void streamedThinkingSignaturesSurviveARoundTripThroughAnOpenAiClient() {
        Buffer encoded = encodeAll(codec.streamEncoder(streamingRequest(false)), thinkingToolsEvents());
        ChatCompletionStreamAssembler client = new ChatCompletionStreamAssembler();
        OpenAiChatGoldens.sseEvents(encoded).forEach(client::onEvent);
        JsonNode answered = client.result().at("/choices/0/message");
        UnifiedRequest nextTurn = codec.decodeRequest(nextTurnAfter(answered));
        assertThat(nextTurn.messages().get(1)).isEqualTo(new Message(Role.ASSISTANT, thinkingToolsAnswer().content()));
    }

    @Test
    void anErrorEndsTheStreamWithOpenAisErrorEventAndNothingAfter() {
        List<StreamEvent> events = List.of(
                new StreamEvent.Start("msg_03Err0r", "claude-haiku-4-5", null),
                new StreamEvent.TextStart(0),
                new StreamEvent.TextDelta(0, "Once"),
                new StreamEvent.Error(new GatewayError(ErrorKind.UPSTREAM_BROKEN, "Overloaded", "overloaded_error")),
                new StreamEvent.TextDelta(0, " upon"),
                new StreamEvent.Finish(StopReason.END_TURN, null, TokenUsage.NONE),
                new StreamEvent.End());
        assertSameSse(encodeAll(codec.streamEncoder(streamingRequest(true)), events), "stream-error.encoded.sse");
    }

    @Test
    void noUsageChunkWhenTheUpstreamReportedNone() {
        Buffer encoded = encodeAll(codec.streamEncoder(streamingRequest(true)), List.of(
                new StreamEvent.Start("id", "m", null),
                new StreamEvent.Finish(StopReason.MAX_TOKENS, null, null),
                new StreamEvent.End()));
        List<String> data = OpenAiChatGoldens.sseEvents(encoded).stream().map(e -> e.data()).toList();
        assertThat(data).hasSize(3);
        assertThat(parse(data.get(1)).at("/choices/0/finish_reason").asText()).isEqualTo("length");
        assertThat(data.get(2)).isEqualTo("[DONE]");
    }

    @Test
    void eachStreamHasItsOwnEncoder() {
        var first = codec.streamEncoder(streamingRequest(false));
        var second = codec.streamEncoder(streamingRequest(false));
        first.encode(new StreamEvent.Start("a", "m", null));
        first.encode(new StreamEvent.ToolCallStart(0, "call_a", "f"));
        second.encode(new StreamEvent.Start("b", "m", null));
        Buffer call = second.encode(new StreamEvent.ToolCallStart(5, "call_b", "g"));
        JsonNode chunk = parse(OpenAiChatGoldens.sseEvents(call).getFirst().data());
        assertThat(chunk.at("/choices/0/delta/tool_calls/0/index").asInt()).isZero();
        assertThat(chunk.get("id").asText()).isEqualTo("b");
    }

    @Test
    void aRequestThatIsNotJsonObjectFailsCleanly() {
        assertThatThrownBy(() -> codec.decodeRequest(null)).isInstanceOf(GatewayException.class);
    }

    // ---- helpers ----

    private static UnifiedResponse thinkingToolsAnswer() {
        return new UnifiedResponse("msg_02Th1nk1ngT00ls", "claude-sonnet-4-5", List.of(
                new Part.Thinking("Weather first, then time.", "EqQBCkYIBxgC"),
                new Part.RedactedThinking("EmwKAhgBEgy3"),
                new Part.Text("Checking both."),
                new Part.ToolCall("toolu_01W3ath3r", "get_weather", "{\"city\":\"Zürich\"}"),
                new Part.ToolCall("toolu_02T1m3", "get_time", "{\"zone\":\"Europe/Zurich\"}")),
                StopReason.TOOL_USE, null, new TokenUsage(120, 95, 0, 0, 40));
    }

    /** The same answer streamed as Anthropic's codec would: blocks one after another, numbered in order. */
    private static List<StreamEvent> thinkingToolsEvents() {
        return List.of(
                new StreamEvent.Start("msg_02Th1nk1ngT00ls", "claude-sonnet-4-5", null),
                new StreamEvent.ThinkingStart(0),
                new StreamEvent.ThinkingDelta(0, "Weather first,"),
                new StreamEvent.ThinkingDelta(0, " then time."),
                new StreamEvent.SignatureDelta(0, "EqQBCkYIBxgC"),
                new StreamEvent.BlockStop(0),
                new StreamEvent.RedactedThinking(1, "EmwKAhgBEgy3"),
                new StreamEvent.BlockStop(1),
                new StreamEvent.TextStart(2),
                new StreamEvent.TextDelta(2, "Checking both."),
                new StreamEvent.BlockStop(2),
                new StreamEvent.ToolCallStart(3, "toolu_01W3ath3r", "get_weather"),
                new StreamEvent.ToolArgumentsDelta(3, ""),
                new StreamEvent.ToolArgumentsDelta(3, "{\"city\":"),
                new StreamEvent.ToolArgumentsDelta(3, "\"Zürich\"}"),
                new StreamEvent.BlockStop(3),
                new StreamEvent.ToolCallStart(4, "toolu_02T1m3", "get_time"),
                new StreamEvent.ToolArgumentsDelta(4, "{\"zone\":\"Europe/Zurich\"}"),
                new StreamEvent.BlockStop(4),
                new StreamEvent.Finish(StopReason.TOOL_USE, null, new TokenUsage(120, 95, 0, 0, 40)),
                new StreamEvent.End());
    }

    private static JsonNode nextTurnAfter(JsonNode assistantMessage) {
        ObjectNode request = (ObjectNode) parse("""
                {"model": "claude-sonnet-4-5", "messages": [{"role": "user", "content": "Weather and time?"}]}""");
        ArrayNode messages = (ArrayNode) request.get("messages");
        messages.add(assistantMessage);
        messages.add(parse("""
                {"role": "tool", "tool_call_id": "toolu_01W3ath3r", "content": "12°C"}"""));
        return request;
    }

    private static JsonNode request(String extraFields) {
        return parse("{\"model\": \"m\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], "
                + extraFields + "}");
    }

    private static UnifiedRequest streamingRequest(boolean includeUsage) {
        return new UnifiedRequest("m", null, List.of(), null, null, null, null, null, null, null, null, null, null,
                null, null, null, true, includeUsage);
    }
}
