package io.gatehouse.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.pipeline.ErrorKind;
import io.gatehouse.pipeline.GatewayError;
import io.gatehouse.pipeline.GatewayException;
import io.gatehouse.provider.translate.EncodedRequest;
import io.gatehouse.provider.translate.Message;
import io.gatehouse.provider.translate.Part;
import io.gatehouse.provider.translate.Reasoning;
import io.gatehouse.provider.translate.Role;
import io.gatehouse.provider.translate.StopReason;
import io.gatehouse.provider.translate.TokenUsage;
import io.gatehouse.provider.translate.ToolChoice;
import io.gatehouse.provider.translate.ToolSpec;
import io.gatehouse.provider.translate.UnifiedRequest;
import io.gatehouse.provider.translate.UnifiedResponse;
import io.gatehouse.provider.translate.UnsupportedFeature;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;
import java.time.InstantSource;
import java.util.List;

import static io.gatehouse.provider.openai.ChatGoldenCases.parse;
import static io.gatehouse.provider.openai.OpenAiChatGoldens.assertSameJson;
import static io.gatehouse.provider.openai.OpenAiChatGoldens.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class ChatOutboundCodecTest {
    private final ChatOutboundCodec openAi = new ChatOutboundCodec(null);

    @Test
    void isTheOpenAiType() {
        assertThat(openAi.type()).isEqualTo("openai");
    }

    // ---- requests ----

    @Test
    void encodesAConversationHoistingSystemPromptsAndSplittingToolResultsIntoToolMessages() {
        EncodedRequest encoded = openAi.encodeRequest(ChatGoldenCases.conversation().withModel("gpt-4.1"));
        assertThat(encoded.path()).isEqualTo("/v1/chat/completions");
        assertThat(encoded.query()).isNull();
        assertThat(encoded.headers()).isEmpty();
        assertSameJson(encoded.body(), json("request-conversation.encoded.json"), "request");
    }

    /** A client's tool round decoded by the inbound codec and written again: tool calls and results line up. */
    @Test
    void aDecodedClientRequestEncodesBackToToolCallsAndTheirResults() {
        UnifiedRequest decoded = new ChatInboundCodec(InstantSource.fixed(Instant.EPOCH))
                .decodeRequest(json("request-conversation.json"));
        assertSameJson(openAi.encodeRequest(decoded.withModel("gpt-4.1")).body(),
                json("request-conversation.encoded.json"), "request");
    }

    @Test
    void encodesAnErrorToolResultInWordsAndSeveralResultsAtOnce() {
        assertSameJson(openAi.encodeRequest(ChatGoldenCases.toolErrorFromAnthropic()).body(),
                json("request-tool-error.encoded.json"), "request");
    }

    @Test
    void encodesImagesByUrlAndAsDataUrls() {
        assertSameJson(openAi.encodeRequest(ChatGoldenCases.images()).body(), json("request-images.encoded.json"),
                "request");
    }

    @Test
    void strictSchemasLoseTheKeywordsStrictModeRejectsAndNothingElse() {
        UnifiedRequest request = ChatGoldenCases.jsonSchema();
        assertSameJson(openAi.encodeRequest(request).body(), json("request-json-schema.encoded.json"), "request");
        assertThat(request.responseFormat().schema().at("/properties/name/minLength").asInt())
                .as("the client's schema is not changed").isEqualTo(1);
    }

    @Test
    void strictToolParametersAreCleanedTooButLooseSchemasAreSentAsTheyAre() {
        JsonNode schema = parse("""
                {"type": "object", "properties": {"q": {"type": "string", "maxLength": 9}}}""");
        UnifiedRequest request = withTools(List.of(new ToolSpec("strict", null, schema, true),
                new ToolSpec("loose", null, schema, false)));
        JsonNode tools = openAi.encodeRequest(request).body().get("tools");
        assertThat(tools.at("/0/function/parameters/properties/q").has("maxLength")).isFalse();
        assertThat(tools.at("/1/function/parameters/properties/q/maxLength").asInt()).isEqualTo(9);
    }

    @Test
    void azureNamesTheDeploymentInThePathAndTheApiVersionInTheQuery() {
        EncodedRequest encoded = new ChatOutboundCodec("2024-10-21")
                .encodeRequest(ChatGoldenCases.images().withModel("gpt 4o/mini"));
        assertThat(encoded.path()).isEqualTo("/openai/deployments/gpt%204o%2Fmini/chat/completions");
        assertThat(encoded.query()).isEqualTo("api-version=2024-10-21");
        assertThat(encoded.body().has("model")).as("the deployment names it").isFalse();
        assertThat(encoded.body().get("messages")).isEqualTo(json("request-images.encoded.json").get("messages"));
    }

    /** Ollama ignores max_completion_tokens, so the limit goes where it reads it; the others get the current name. */
    @Test
    void ollamaTakesTheTokenLimitAsMaxTokens() {
        UnifiedRequest request = new UnifiedRequest("qwen3:8b", null, List.of(userSays("hi")), null, null, 256, null,
                null, null, null, null, null, null, null, null, null, false, false);
        JsonNode ollama = ChatOutboundCodec.ollama().encodeRequest(request).body();
        assertThat(ollama.get("max_tokens").asInt()).isEqualTo(256);
        assertThat(ollama.has("max_completion_tokens")).isFalse();
        assertThat(openAi.encodeRequest(request).body().get("max_completion_tokens").asInt()).isEqualTo(256);
    }

    @Test
    void aStreamAlwaysAsksForUsage() {
        UnifiedRequest request = new UnifiedRequest("m", null, List.of(userSays("hi")), null, null, null, null, null,
                null, null, null, null, null, null, null, null, true, false);
        JsonNode body = openAi.encodeRequest(request).body();
        assertThat(body.get("stream").asBoolean()).isTrue();
        assertThat(body.at("/stream_options/include_usage").asBoolean()).isTrue();
    }

    @Test
    void withoutToolsNoToolChoiceIsSent() {
        UnifiedRequest request = new UnifiedRequest("m", null, List.of(userSays("hi")), null,
                new ToolChoice(ToolChoice.Mode.NONE, null, false), null, null, null, null, null, null, null, null, null, null, null, false, false);
        JsonNode body = openAi.encodeRequest(request).body();
        assertThat(body.has("tool_choice")).isFalse();
        assertThat(body.has("parallel_tool_calls")).isFalse();
    }

    @ParameterizedTest(name = "budget {0} -> {1}")
    @CsvSource(textBlock = """
            1024,  low
            4096,  medium
            16384, high
            """)
    void aThinkingBudgetBecomesAnEffort(int budget, String effort) {
        UnifiedRequest request = new UnifiedRequest("m", null, List.of(userSays("hi")), null, null, null, null, null,
                null, null, null, null, null, null, new Reasoning(null, budget), null, false, false);
        assertThat(openAi.encodeRequest(request).body().get("reasoning_effort").asText()).isEqualTo(effort);
    }

    @Test
    void refusesTopK() {
        UnifiedRequest request = new UnifiedRequest("m", null, List.of(userSays("hi")), null, null, null, null, null,
                40, null, null, null, null, null, null, null, false, false);
        assertRefused(request, "top_k");
    }

    @Test
    void refusesOpaqueParts() {
        assertRefused(withMessages(new Message(Role.USER, List.of(new Part.Text("read this"),
                new Part.Opaque("document", parse("{\"type\": \"document\"}"))))), "'document'");
    }

    @Test
    void refusesImagesInToolResultsWhichOpenAiToolMessagesCannotHold() {
        assertRefused(withMessages(
                new Message(Role.ASSISTANT, List.of(new Part.ToolCall("t1", "shot", "{}"))),
                new Message(Role.USER, List.of(new Part.ToolResult("t1",
                        List.of(new Part.Image(null, "image/png", "AAAA", null)), false)))), "t1");
    }

    @Test
    void refusesImagesInAssistantMessages() {
        assertRefused(withMessages(new Message(Role.ASSISTANT,
                List.of(new Part.Image("https://x.example/a.png", null, null, null)))), "image");
    }

    @Test
    void anAnswerThatWasAllThinkingBecomesAnEmptyAssistantMessage() {
        JsonNode body = openAi.encodeRequest(withMessages(userSays("hi"),
                new Message(Role.ASSISTANT, List.of(new Part.Thinking("hmm", "sig"))), userSays("and?"))).body();
        assertThat(body.at("/messages/1")).isEqualTo(parse("{\"role\": \"assistant\", \"content\": \"\"}"));
    }

    // ---- answers ----

    @Test
    void decodesAPlainTextAnswer() {
        assertThat(openAi.decodeResponse(json("response-text.json"))).isEqualTo(new UnifiedResponse(
                "chatcmpl-C1xPl41nT3xt000000000000007", "gpt-4.1-2025-04-14",
                List.of(new Part.Text("Bonjour ! Voici un café ☕.")), StopReason.END_TURN, null,
                new TokenUsage(21, 9, 0, 0, 0)));
    }

    @Test
    void decodesParallelToolCallsWithTheirArgumentsUntouched() {
        assertThat(openAi.decodeResponse(json("response-tool-calls.json"))).isEqualTo(new UnifiedResponse(
                "chatcmpl-C1xT00LcA11s0000000000000008", "gpt-4o-2024-08-06", List.of(
                        new Part.ToolCall("call_W3ath3r", "get_weather", "{\"city\": \"Zürich\"}"),
                        new Part.ToolCall("call_T1m3", "get_time", "{\"zone\": \"Europe/Zurich\"}")),
                StopReason.TOOL_USE, null, new TokenUsage(82, 47, 0, 0, 0)));
    }

    @Test
    void decodesCachedAndReasoningTokens() {
        assertThat(openAi.decodeResponse(json("response-usage-cached-reasoning.json")).usage())
                .isEqualTo(new TokenUsage(1843, 389, 1664, 0, 320));
    }

    @Test
    void decodesAContentFilterStopFromAzure() {
        UnifiedResponse decoded = openAi.decodeResponse(json("response-content-filter.json"));
        assertThat(decoded.stopReason()).isEqualTo(StopReason.CONTENT_FILTER);
        assertThat(decoded.content()).containsExactly(new Part.Text("Here is how"));
        assertThat(decoded.usage()).isEqualTo(new TokenUsage(27, 3, 0, 0, 0));
    }

    @Test
    void decodesReasoningTextAsThinkingAndVllmsStopSequence() {
        assertThat(openAi.decodeResponse(json("response-reasoning.json"))).isEqualTo(new UnifiedResponse(
                "chatcmpl-5e1b7c3d9a2f4b8e8c6d0a1f2e3b4c5d", "Qwen/Qwen3-8B", List.of(
                        new Part.Thinking("Two plus two is four.", null), new Part.Text("<answer>4")),
                StopReason.STOP_SEQUENCE, "</answer>", new TokenUsage(14, 21, 0, 0, 0)));
    }

    @Test
    void aRefusalIsItsTextAndAContentFilterStop() {
        UnifiedResponse decoded = openAi.decodeResponse(json("response-refusal.json"));
        assertThat(decoded.content()).containsExactly(new Part.Text("I'm sorry, I cannot help with that."));
        assertThat(decoded.stopReason()).isEqualTo(StopReason.CONTENT_FILTER);
    }

    @Test
    void decodesThinkingBlocksWhenAnotherGatewaySentThem() {
        UnifiedResponse decoded = openAi.decodeResponse(new ChatInboundCodec(InstantSource.fixed(Instant.EPOCH))
                .encodeResponse(new UnifiedResponse("id", "m", List.of(new Part.Thinking("t", "s"),
                        new Part.RedactedThinking("r"), new Part.Text("x")), StopReason.END_TURN, null, null)));
        assertThat(decoded.content()).containsExactly(new Part.Thinking("t", "s"), new Part.RedactedThinking("r"),
                new Part.Text("x"));
        assertThat(decoded.usage()).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            []                                            | is not a JSON object
            {"id": "x"}                                   | has no choices
            {"choices": []}                               | has no choices
            {"choices": [{"index": 0}]}                   | has no choices[0].message
            """)
    void aMalformedAnswerIsABrokenUpstream(String body, String problem) {
        GatewayException broken = catchThrowableOfType(GatewayException.class,
                () -> openAi.decodeResponse(parse(body)));
        assertThat(broken).isNotNull();
        assertThat(broken.error().kind()).isEqualTo(ErrorKind.UPSTREAM_BROKEN);
        assertThat(broken.error().message()).contains(problem);
    }

    // ---- errors ----

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            429 | {"error": {"message": "Rate limit reached for gpt-4o", "type": "requests", "param": null, "code": "rate_limit_exceeded"}} | RATE_LIMIT       | Rate limit reached for gpt-4o | rate_limit_exceeded
            401 | {"error": {"message": "Incorrect API key provided", "type": "invalid_request_error", "param": null, "code": "invalid_api_key"}} | AUTHENTICATION | Incorrect API key provided | invalid_api_key
            400 | {"error": {"message": "max_tokens is too large", "type": "invalid_request_error", "param": "max_tokens", "code": null}} | INVALID_REQUEST | max_tokens is too large | invalid_request_error
            404 | {"error": "model 'llama9' not found"}                                                                    | NOT_FOUND        | model 'llama9' not found      |
            400 | {"object": "error", "message": "This model's maximum context length is 4096 tokens", "type": "BadRequestError", "param": null, "code": 400} | INVALID_REQUEST | maximum context length | BadRequestError
            503 | {"error": {"message": "The engine is currently overloaded", "type": "server_error", "param": null, "code": null}} | INTERNAL | currently overloaded | server_error
            502 | <html><body>Bad gateway</body></html>                                                                    | INTERNAL         | HTTP 502: <html>              |
            504 |                                                                                                          | UPSTREAM_TIMEOUT | HTTP 504                      |
            """)
    void decodesErrorsKeepingTheStatusAndTheProvidersMessage(int status, String body, ErrorKind kind, String message,
                                                             String code) {
        GatewayError error = openAi.decodeError(status, body == null ? Buffer.buffer() : Buffer.buffer(body));
        assertThat(error.status()).isEqualTo(status);
        assertThat(error.kind()).isEqualTo(kind);
        assertThat(error.message()).contains(message);
        assertThat(error.code()).isEqualTo(code);
    }

    // ---- helpers ----

    private void assertRefused(UnifiedRequest request, String named) {
        GatewayException refused = catchThrowableOfType(GatewayException.class, () -> openAi.encodeRequest(request));
        assertThat(refused).as("refused").isNotNull();
        assertThat(refused.error().code()).isEqualTo(UnsupportedFeature.CODE);
        assertThat(refused.error().status()).isEqualTo(400);
        assertThat(refused.error().message()).contains(named);
    }

    private static Message userSays(String text) {
        return new Message(Role.USER, List.of(new Part.Text(text)));
    }

    private static UnifiedRequest withMessages(Message... messages) {
        return new UnifiedRequest("m", null, List.of(messages), null, null, null, null, null, null, null, null, null,
                null, null, null, null, false, false);
    }

    private static UnifiedRequest withTools(List<ToolSpec> tools) {
        return new UnifiedRequest("m", null, List.of(userSays("hi")), tools, null, null, null, null, null, null, null,
                null, null, null, null, null, false, false);
    }
}
