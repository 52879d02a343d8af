package io.gatehouse.provider.openai;

import io.gatehouse.pipeline.ErrorKind;
import io.gatehouse.pipeline.GatewayError;
import io.gatehouse.provider.openai.OpenAiChatGoldens.Chunking;
import io.gatehouse.provider.translate.StopReason;
import io.gatehouse.provider.translate.StreamDecoder;
import io.gatehouse.provider.translate.StreamEvent;
import io.gatehouse.provider.translate.StreamEvent.BlockStop;
import io.gatehouse.provider.translate.StreamEvent.End;
import io.gatehouse.provider.translate.StreamEvent.Finish;
import io.gatehouse.provider.translate.StreamEvent.Start;
import io.gatehouse.provider.translate.StreamEvent.TextDelta;
import io.gatehouse.provider.translate.StreamEvent.TextStart;
import io.gatehouse.provider.translate.StreamEvent.ThinkingDelta;
import io.gatehouse.provider.translate.StreamEvent.ThinkingStart;
import io.gatehouse.provider.translate.StreamEvent.ToolArgumentsDelta;
import io.gatehouse.provider.translate.StreamEvent.ToolCallStart;
import io.gatehouse.provider.translate.TokenUsage;
import io.gatehouse.provider.translate.UnifiedRequest;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.gatehouse.provider.openai.OpenAiChatGoldens.bytes;
import static io.gatehouse.provider.openai.OpenAiChatGoldens.decodeAll;
import static io.gatehouse.provider.openai.OpenAiChatGoldens.encodeAll;
import static org.assertj.core.api.Assertions.assertThat;

/** {@link ChatOutboundCodec#streamDecoder()} on OpenAI streams, and back through this package's own encoder. */
class ChatStreamDecoderTest {
    private static final ChatOutboundCodec OPENAI = new ChatOutboundCodec(null);

    /** What each golden stream decodes into. */
    private static final Map<String, List<StreamEvent>> EXPECTED = Map.of(
            "stream-text.sse", List.of(
                    new Start("chatcmpl-C1xT3xtStr3am0000000000001", "gpt-4.1-mini-2025-04-14", null),
                    new TextStart(0),
                    new TextDelta(0, "Grüße"),
                    new TextDelta(0, " aus"),
                    new TextDelta(0, " Köln"),
                    new TextDelta(0, " 🌧"),
                    new TextDelta(0, "."),
                    new BlockStop(0),
                    new Finish(StopReason.END_TURN, null, new TokenUsage(19, 6, 0, 0, 0)),
                    new End()),
            "stream-parallel-tools.sse", List.of(
                    new Start("chatcmpl-C1xPaRaLLeLT00Ls000000002", "gpt-4o-2024-08-06", null),
                    new ToolCallStart(0, "call_W3ath3r", "get_weather"),
                    new ToolArgumentsDelta(0, "{\"ci"),
                    new ToolCallStart(1, "call_T1m3", "get_time"),
                    new ToolArgumentsDelta(1, "{\"zone\""),
                    new ToolArgumentsDelta(0, "ty\": \"Zürich\""),
                    new ToolArgumentsDelta(1, ": \"Europe/"),
                    new ToolArgumentsDelta(1, "Zurich\"}"),
                    new ToolArgumentsDelta(0, "}"),
                    new BlockStop(0),
                    new BlockStop(1),
                    new Finish(StopReason.TOOL_USE, null, new TokenUsage(82, 47, 0, 0, 0)),
                    new End()),
            "stream-usage-cached-reasoning.sse", List.of(
                    new Start("chatcmpl-C1xReAsOnInGcAcHeD0000003", "o4-mini-2025-04-16", null),
                    new TextStart(0),
                    new TextDelta(0, "The answer"),
                    new TextDelta(0, " is 42."),
                    new BlockStop(0),
                    new Finish(StopReason.END_TURN, null, new TokenUsage(1843, 389, 1664, 0, 320)),
                    new End()),
            "stream-content-filter.sse", List.of(
                    new Start("chatcmpl-C1xAzUr3F1Lt3r000000004", "gpt-4o-2024-11-20", null),
                    new TextStart(0),
                    new TextDelta(0, "Here is how"),
                    new BlockStop(0),
                    new Finish(StopReason.CONTENT_FILTER, null, new TokenUsage(27, 3, 0, 0, 0)),
                    new End()),
            "stream-reasoning.sse", List.of(
                    new Start("chatcmpl-8c0f2e4a9b7d4e61a3c5f0d2b1e4a7c9", "Qwen/Qwen3-8B", null),
                    new ThinkingStart(0),
                    new ThinkingDelta(0, "Two plus"),
                    new ThinkingDelta(0, " two is four."),
                    new BlockStop(0),
                    new TextStart(1),
                    new TextDelta(1, "<answer>4"),
                    new BlockStop(1),
                    new Finish(StopReason.STOP_SEQUENCE, "</answer>", new TokenUsage(14, 21, 0, 0, 0)),
                    new End()),
            "stream-error.sse", List.of(
                    new Start("chatcmpl-C1xErr0rM1dStr3am00000005", "gpt-4.1-mini-2025-04-14", null),
                    new TextStart(0),
                    new TextDelta(0, "Once"),
                    new TextDelta(0, " upon"),
                    new StreamEvent.Error(new GatewayError(ErrorKind.UPSTREAM_BROKEN,
                            "The server had an error while processing your request. Sorry about that!",
                            "server_error"))),
            "stream-cut.sse", List.of(
                    new Start("chatcmpl-C1xCuTM1dT00LcA11000006", "gpt-4.1-2025-04-14", null),
                    new ToolCallStart(0, "call_S3arch", "search"),
                    new ToolArgumentsDelta(0, "{\"query\": \"weather in Ber"),
                    new StreamEvent.Error(new GatewayError(ErrorKind.UPSTREAM_BROKEN,
                            "The upstream's stream ended before the answer finished", "stream_incomplete"))));

    static Stream<Arguments> goldenStreams() {
        return EXPECTED.keySet().stream().sorted().flatMap(name ->
                Arrays.stream(Chunking.values()).map(chunking -> Arguments.of(name, chunking)));
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("goldenStreams")
    void decodesGoldenStream(String golden, Chunking chunking) {
        assertThat(decodeAll(OPENAI.streamDecoder(), bytes(golden), chunking)).isEqualTo(EXPECTED.get(golden));
    }

    /**
     * An OpenAI stream decoded, written again by this package's encoder, and decoded again: the same events, so
     * nothing the unified shape holds is lost on the way through the chat format.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("goldenNames")
    void reEncodingAStreamKeepsItsEvents(String golden) {
        List<StreamEvent> decoded = decodeAll(OPENAI.streamDecoder(), bytes(golden), Chunking.WHOLE);
        ChatInboundCodec client = new ChatInboundCodec(InstantSource.fixed(Instant.ofEpochSecond(1_754_000_000L)));
        Buffer reEncoded = encodeAll(client.streamEncoder(streamingRequest()), decoded);
        assertThat(decodeAll(OPENAI.streamDecoder(), reEncoded.getBytes(), Chunking.ONE_BYTE)).isEqualTo(decoded);
    }

    static Stream<String> goldenNames() {
        return EXPECTED.keySet().stream().sorted();
    }

    @Test
    void withoutAUsageChunkFinishComesAtDone() {
        List<StreamEvent> events = decode("""
                data: {"id":"c","model":"m","choices":[{"index":0,"delta":{"content":"hi"},"finish_reason":null}]}

                data: {"id":"c","model":"m","choices":[{"index":0,"delta":{},"finish_reason":"length"}]}

                data: [DONE]

                """);
        assertThat(events).containsExactly(new Start("c", "m", null), new TextStart(0), new TextDelta(0, "hi"),
                new BlockStop(0), new Finish(StopReason.MAX_TOKENS, null, null), new End());
    }

    @Test
    void aBodyEndingAfterTheFinishReasonWithoutDoneStillEndsCleanly() {
        StreamDecoder decoder = OPENAI.streamDecoder();
        List<StreamEvent> events = new ArrayList<>(decoder.decode(Buffer.buffer("""
                data: {"id":"c","model":"m","choices":[{"index":0,"delta":{"content":"hi"},"finish_reason":"stop"}],\
                "usage":{"prompt_tokens":3,"completion_tokens":1,"total_tokens":4}}

                """)));
        assertThat(events).as("usage came with the finish reason").endsWith(
                new Finish(StopReason.END_TURN, null, new TokenUsage(3, 1, 0, 0, 0)));
        assertThat(decoder.finish()).containsExactly(new End());
    }

    @Test
    void keepAlivesCommentsAndGarbageAreSkipped() {
        List<StreamEvent> events = decode("""
                : OPENROUTER PROCESSING

                data: not json

                data: {"id":"c","model":"m","choices":[{"index":0,"delta":{"content":"x"},"finish_reason":"stop"}]}

                data: [DONE]

                """);
        assertThat(events).containsExactly(new Start("c", "m", null), new TextStart(0), new TextDelta(0, "x"),
                new BlockStop(0), new Finish(StopReason.END_TURN, null, null), new End());
    }

    @Test
    void toolCallsWithoutIndexFromCompatibleServersStillKeepApart() {
        List<StreamEvent> events = decode("""
                data: {"id":"c","model":"m","choices":[{"index":0,"delta":{"tool_calls":[{"id":"a","function":{"name":"f","arguments":"{\\"x\\""}}]}}]}

                data: {"id":"c","model":"m","choices":[{"index":0,"delta":{"tool_calls":[{"function":{"arguments":":1}"}}]}}]}

                data: {"id":"c","model":"m","choices":[{"index":0,"delta":{"tool_calls":[{"id":"b","function":{"name":"g","arguments":"{}"}}]},"finish_reason":"tool_calls"}]}

                data: [DONE]

                """);
        assertThat(events).containsExactly(new Start("c", "m", null),
                new ToolCallStart(0, "a", "f"), new ToolArgumentsDelta(0, "{\"x\""), new ToolArgumentsDelta(0, ":1}"),
                new ToolCallStart(1, "b", "g"), new ToolArgumentsDelta(1, "{}"),
                new BlockStop(0), new BlockStop(1), new Finish(StopReason.TOOL_USE, null, null), new End());
    }

    @Test
    void textAfterReasoningClosesTheThinkingBlockAndARefusalIsAContentFilterStop() {
        List<StreamEvent> events = decode("""
                data: {"id":"c","model":"m","choices":[{"index":0,"delta":{"reasoning":"hmm"}}]}

                data: {"id":"c","model":"m","choices":[{"index":0,"delta":{"refusal":"No."},"finish_reason":"stop"}]}

                data: [DONE]

                """);
        assertThat(events).containsExactly(new Start("c", "m", null), new ThinkingStart(0),
                new ThinkingDelta(0, "hmm"), new BlockStop(0), new TextStart(1), new TextDelta(1, "No."),
                new BlockStop(1), new Finish(StopReason.CONTENT_FILTER, null, null), new End());
    }

    @Test
    void nothingFollowsAnError() {
        StreamDecoder decoder = OPENAI.streamDecoder();
        List<StreamEvent> events = new ArrayList<>(decoder.decode(Buffer.buffer("""
                data: {"error":{"message":"Too many requests","type":"rate_limit_error","code":"rate_limit_exceeded"}}

                data: {"id":"c","model":"m","choices":[{"index":0,"delta":{"content":"x"},"finish_reason":"stop"}]}

                data: [DONE]

                """)));
        events.addAll(decoder.finish());
        assertThat(events).containsExactly(new StreamEvent.Error(
                new GatewayError(ErrorKind.RATE_LIMIT, "Too many requests", "rate_limit_exceeded")));
    }

    @Test
    void anEmptyBodyIsABrokenStream() {
        List<StreamEvent> events = OPENAI.streamDecoder().finish();
        assertThat(events).hasSize(1);
        assertThat(((StreamEvent.Error) events.getFirst()).error().kind()).isEqualTo(ErrorKind.UPSTREAM_BROKEN);
    }

    private static List<StreamEvent> decode(String stream) {
        return decodeAll(OPENAI.streamDecoder(), stream.getBytes(StandardCharsets.UTF_8), Chunking.ONE_BYTE);
    }

    private static UnifiedRequest streamingRequest() {
        return new UnifiedRequest("m", null, List.of(), null, null, null, null, null, null, null, null, null, null,
                null, null, null, true, true);
    }
}
