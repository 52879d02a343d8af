package io.gatehouse.provider.gemini;

import io.gatehouse.pipeline.ErrorKind;
import io.gatehouse.pipeline.GatewayException;
import io.gatehouse.provider.translate.Part;
import io.gatehouse.provider.translate.StopReason;
import io.gatehouse.provider.translate.TokenUsage;
import io.gatehouse.provider.translate.UnifiedResponse;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.gatehouse.provider.gemini.GeminiRequestEncodingTest.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Golden GenerateContentResponse bodies under response/, decoded into the unified shape. */
class GeminiResponseDecodingTest {
    private final GeminiOutboundCodec codec = new GeminiOutboundCodec();

    @Test
    void text() {
        assertThat(decode("text.json")).isEqualTo(new UnifiedResponse("oH1daOeTCqS0nvgPtvyN8QU", "gemini-2.0-flash",
                List.of(new Part.Text("Bonjour ! Comment puis-je vous aider aujourd'hui ?")), StopReason.END_TURN, null,
                new TokenUsage(9, 12, 0, 0, 0)));
    }

    @Test
    void parallelFunctionCallsAreAToolTurnWithMadeUpStableIdsAndTheSignatureAfterItsCall() {
        assertThat(decode("function-calls.json")).isEqualTo(new UnifiedResponse("Gk5daMjkL_-ezLIPnN3M-Ag",
                "gemini-2.5-flash",
                List.of(new Part.ToolCall("call_Gk5daMjkL_-ezLIPnN3M-Ag_0", "get_weather",
                                "{\"location\":\"Paris, France\"}"),
                        new Part.Thinking("", "gemini:CuoBAcu98PDMd2Kp3tSNsXbGXtuAvq1mUA7s2yWpWfqgKBQK6C4uz+2nW9WUdyw/HUUs"),
                        new Part.ToolCall("call_Gk5daMjkL_-ezLIPnN3M-Ag_1", "get_weather",
                                "{\"location\":\"Tokyo, Japan\",\"unit\":\"celsius\"}")),
                StopReason.TOOL_USE, null, new TokenUsage(71, 36 + 74, 0, 0, 74)));
    }

    @Test
    void thoughtsAndCachedAndThinkingTokens() {
        assertThat(decode("thoughts-and-cached-usage.json")).isEqualTo(new UnifiedResponse("9llbaOPfEaKmkdUPnLq_mA4",
                "gemini-2.5-pro",
                List.of(new Part.Thinking("**Counting the letters**\n\nI'm spelling out s-t-r-a-w-b-e-r-r-y and counting "
                                + "each r as I go: one in \"straw\", two in \"berry\".\n\n", null),
                        new Part.Text("There are **3** r's in \"strawberry\"."),
                        new Part.Thinking("", "gemini:CpwCAcu98PC7Yb8ldYwNBRpoKq3EkF2tUKkCf0+ss9FHbS0Gf1yJ5rJd1VgZ2E")),
                StopReason.END_TURN, null, new TokenUsage(4210, 13 + 179, 4096, 0, 179)));
    }

    @Test
    void aCandidateStoppedForSafetyIsAContentFilterWithNoContent() {
        assertThat(decode("safety-finish.json")).isEqualTo(new UnifiedResponse("xK1daK6eA_CMnvgP7aSi0Qk",
                "gemini-2.0-flash", List.of(), StopReason.CONTENT_FILTER, null, new TokenUsage(24, 0, 0, 0, 0)));
    }

    @Test
    void aBlockedPromptHasNoCandidateAndIsAContentFilter() {
        assertThat(decode("blocked-prompt.json")).isEqualTo(new UnifiedResponse("c2pbaKXnNaWBz7IPrpbmiQk",
                "gemini-2.5-flash", List.of(), StopReason.CONTENT_FILTER, null, new TokenUsage(15, 0, 0, 0, 0)));
    }

    @Test
    void runningOutOfTokens() {
        UnifiedResponse response = decode("max-tokens.json");

        assertThat(response.stopReason()).isEqualTo(StopReason.MAX_TOKENS);
        assertThat(response.content()).containsExactly(new Part.Text("Once upon a time, in a valley"));
    }

    @Test
    void geminisOwnFunctionCallIdIsKept() {
        UnifiedResponse response = codec.decodeResponse(json("""
                {"candidates": [{"content": {"role": "model", "parts": [
                   {"functionCall": {"id": "fc-7f3a", "name": "lookup", "args": {}}},
                   {"functionCall": {"name": "lookup"}}]}, "finishReason": "STOP"}]}"""));

        assertThat(response.content()).containsExactly(new Part.ToolCall("fc-7f3a", "lookup", "{}"),
                new Part.ToolCall("call_gemini_1", "lookup", "{}"));
        assertThat(response.id()).isNull();
        assertThat(response.usage()).isNull();
    }

    @Test
    void everyFinishReasonHasAUnifiedStopReason() {
        for (String reason : List.of("SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII",
                "IMAGE_SAFETY")) {
            assertThat(GeminiResponses.stopReason(reason, false)).as(reason).isEqualTo(StopReason.CONTENT_FILTER);
        }
        assertThat(GeminiResponses.stopReason("MAX_TOKENS", true)).isEqualTo(StopReason.MAX_TOKENS);
        assertThat(GeminiResponses.stopReason("STOP", false)).isEqualTo(StopReason.END_TURN);
        assertThat(GeminiResponses.stopReason("MALFORMED_FUNCTION_CALL", false)).isEqualTo(StopReason.END_TURN);
        assertThat(GeminiResponses.stopReason("OTHER", true)).isEqualTo(StopReason.TOOL_USE);
        assertThat(GeminiResponses.stopReason(null, false)).isEqualTo(StopReason.END_TURN);
    }

    @Test
    void consecutiveThoughtAndTextPartsJoinAndASignedThoughtKeepsItsSignature() {
        UnifiedResponse response = codec.decodeResponse(json("""
                {"candidates": [{"content": {"role": "model", "parts": [
                   {"text": "Step one. ", "thought": true},
                   {"text": "Step two.", "thought": true, "thoughtSignature": "c2ln"},
                   {"text": "Answer: "},
                   {"text": "42."}]}, "finishReason": "STOP"}]}"""));

        assertThat(response.content()).containsExactly(new Part.Thinking("Step one. Step two.", "gemini:c2ln"),
                new Part.Text("Answer: 42."));
    }

    @Test
    void anErrorInA200BodyOrAMalformedBodyIsAnError() {
        assertThatThrownBy(() -> codec.decodeResponse(json("{\"error\":{\"code\":500,\"message\":\"Internal error\","
                + "\"status\":\"INTERNAL\"}}")))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.error().status()).isEqualTo(500);
                    assertThat(e.error().message()).isEqualTo("Internal error");
                });
        assertThatThrownBy(() -> codec.decodeResponse(json("[]")))
                .isInstanceOfSatisfying(GatewayException.class,
                        e -> assertThat(e.error().kind()).isEqualTo(ErrorKind.UPSTREAM_BROKEN));
        assertThatThrownBy(() -> codec.decodeResponse(json("{\"candidates\":[{\"content\":{\"parts\":[7]}}]}")))
                .isInstanceOfSatisfying(GatewayException.class,
                        e -> assertThat(e.error().kind()).isEqualTo(ErrorKind.UPSTREAM_BROKEN));
        assertThatThrownBy(() -> codec.decodeResponse(json("{\"candidates\":[{\"content\":{\"parts\":"
                + "[{\"functionCall\":{\"args\":{}}}]}}]}")))
                .isInstanceOfSatisfying(GatewayException.class,
                        e -> assertThat(e.error().message()).contains("a functionCall has no name"));
    }

    private UnifiedResponse decode(String golden) {
        return codec.decodeResponse(GeminiGoldens.json("response/" + golden));
    }
}
