package io.gatehouse.provider.openai.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.core.ObjectMappers;
import com.openai.models.responses.ResponseStreamEvent;
import io.gatehouse.pipeline.ErrorKind;
import io.gatehouse.pipeline.GatewayError;
import io.gatehouse.pipeline.Json;
import io.gatehouse.pipeline.SseEvent;
import io.gatehouse.provider.openai.ResponsesStreamAssembler;
import io.gatehouse.provider.translate.Part;
import io.gatehouse.provider.translate.StopReason;
import io.gatehouse.provider.translate.StreamEncoder;
import io.gatehouse.provider.translate.StreamEvent;
import io.gatehouse.provider.translate.StreamEvent.BlockStop;
import io.gatehouse.provider.translate.StreamEvent.End;
import io.gatehouse.provider.translate.StreamEvent.Finish;
import io.gatehouse.provider.translate.StreamEvent.SignatureDelta;
import io.gatehouse.provider.translate.StreamEvent.Start;
import io.gatehouse.provider.translate.StreamEvent.TextDelta;
import io.gatehouse.provider.translate.StreamEvent.TextStart;
import io.gatehouse.provider.translate.StreamEvent.ThinkingDelta;
import io.gatehouse.provider.translate.StreamEvent.ThinkingStart;
import io.gatehouse.provider.translate.StreamEvent.ToolArgumentsDelta;
import io.gatehouse.provider.translate.StreamEvent.ToolCallStart;
import io.gatehouse.provider.translate.TokenUsage;
import io.gatehouse.provider.translate.UnifiedRequest;
import io.gatehouse.provider.translate.UnifiedResponse;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

class StreamEncodingTest {
    private final ResponsesInboundCodec codec = new ResponsesInboundCodec(Goldens.CLOCK);

    /** The unified streams behind each golden event stream, with the request they answer. */
    enum Case {
        TEXT("streams/text.sse", "requests/string-input.json", List.of(
                new Start("msg_01XFDUDYJgAACzvnptvVoYEL", "claude-sonnet-4-5-20250929",
                        new TokenUsage(2095, 1, 2048, 0, 0)),
                new TextStart(0),
                new TextDelta(0, "Requests arrive —\n"),
                new TextDelta(0, "the gateway hums, routes, returns.\n"),
                new TextDelta(0, "Zürich answers 🌤"),
                new BlockStop(0),
                new Finish(StopReason.END_TURN, null, new TokenUsage(2095, 31, 2048, 0, 0)),
                new End())),
        /**
         * An OpenAI chat upstream streaming two calls side by side, then one with no arguments at all: the first
         * streams live, the second waits and goes out whole, the third gets {@code {}}.
         */
        PARALLEL_TOOL_CALLS_INTERLEAVED("streams/parallel-tool-calls-interleaved.sse",
                "requests/function-call-round-trip.json", List.of(
                new Start("chatcmpl-C3kAzQ1bT0n8yBf4hG7uXkPq2Lm9R", "qwen3-30b-a3b", null),
                new TextStart(0),
                new TextDelta(0, "Checking both cities."),
                new BlockStop(0),
                new ToolCallStart(1, "call_paris", "get_weather"),
                new ToolArgumentsDelta(1, "{\"ci"),
                new ToolCallStart(2, "call_tokyo", "get_weather"),
                new ToolArgumentsDelta(2, "{\"city\""),
                new ToolArgumentsDelta(1, "ty\":\"Par"),
                new ToolArgumentsDelta(2, ":\"Tokyo\"}"),
                new ToolCallStart(3, "call_clock", "get_time"),
                new ToolArgumentsDelta(1, "is\"}"),
                new BlockStop(1),
                new BlockStop(2),
                new BlockStop(3),
                new Finish(StopReason.TOOL_USE, null, new TokenUsage(312, 58, 0, 0, 0)),
                new End())),
        /** An Anthropic upstream: thinking with its signature, redacted thinking, text, then a tool call. */
        REASONING_WITH_SIGNATURE("streams/reasoning-with-signature.sse", "requests/reasoning-items.json", List.of(
                new Start("msg_01AbCdEfGhIjKlMnOpQrStUv", "claude-opus-4-1-20250805", new TokenUsage(1024, 1, 0, 0, 0)),
                new ThinkingStart(0),
                new ThinkingDelta(0, "1001 = 7 × 143"),
                new ThinkingDelta(0, " and 143 = 11 × 13."),
                new SignatureDelta(0, "EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxDYq+6OKp8uuIoyGsiMOxp1L9QbF3M0TdX"),
                new BlockStop(0),
                new StreamEvent.RedactedThinking(1, "EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr3qpP"),
                new BlockStop(1),
                new TextStart(2),
                new TextDelta(2, "Let me check with the calculator."),
                new BlockStop(2),
                new ToolCallStart(3, "toolu_01A09q90qw90lq917835lq9", "divide"),
                new ToolArgumentsDelta(3, ""),
                new ToolArgumentsDelta(3, "{\"a\": 1001, "),
                new ToolArgumentsDelta(3, "\"b\": 7}"),
                new BlockStop(3),
                new Finish(StopReason.TOOL_USE, null, new TokenUsage(1024, 412, 0, 512, 380)),
                new End())),
        INCOMPLETE("streams/incomplete.sse", "requests/json-schema.json", List.of(
                new Start("gen-1755446400-aZ3kq9", "gemini-2.5-pro", null),
                new TextStart(0),
                new TextDelta(0, "{\"name\":\"Lunch\","),
                new TextDelta(0, "\"date\":\"Fri"),
                new BlockStop(0),
                new Finish(StopReason.MAX_TOKENS, null, new TokenUsage(48, 16, 0, 0, 0)),
                new End())),
        /** The upstream reports a failure mid-answer (Anthropic's overloaded_error event). */
        ERROR_MID_STREAM("streams/error-mid-stream.sse", "requests/string-input.json", List.of(
                new Start("msg_01XFDUDYJgAACzvnptvVoYEL", "claude-sonnet-4-5-20250929", new TokenUsage(2095, 1, 0, 0, 0)),
                new TextStart(0),
                new TextDelta(0, "Requests arrive"),
                new StreamEvent.Error(new GatewayError(ErrorKind.UPSTREAM_BROKEN, "Overloaded", "overloaded_error")),
                new End())),
        /**
         * The upstream broke off mid tool call, a second call still waiting behind it: the decoder's finish()
         * reports it, and the failed response keeps every fragment.
         */
        CUT_MID_TOOL_CALL("streams/cut-mid-tool-call.sse", "requests/function-call-round-trip.json", List.of(
                new Start("chatcmpl-C3kAzQ1bT0n8yBf4hG7uXkPq2Lm9R", "qwen3-30b-a3b", null),
                new TextStart(0),
                new TextDelta(0, "Checking both cities."),
                new BlockStop(0),
                new ToolCallStart(1, "call_paris", "get_weather"),
                new ToolArgumentsDelta(1, "{\"city\":\"Pa"),
                new ToolCallStart(2, "call_tokyo", "get_weather"),
                new ToolArgumentsDelta(2, "{\"city\":\"To"),
                new StreamEvent.Error(new GatewayError(ErrorKind.UPSTREAM_BROKEN,
                        "the provider's stream ended before the answer was complete", "upstream_stream_cut"))));

        final String golden;
        final String request;
        final List<StreamEvent> events;

        Case(String golden, String request, List<StreamEvent> events) {
            this.golden = golden;
            this.request = request;
            this.events = events;
        }
    }

    @ParameterizedTest
    @EnumSource(Case.class)
    void encodesTheGoldenStream(Case golden) {
        byte[] actual = encode(golden).getBytes();

        Goldens.assertSameEvents(Goldens.events(actual, actual.length),
                Goldens.events(Goldens.bytes(golden.golden), Integer.MAX_VALUE));
    }

    /** What the client reads is the same however the network splits it, through lines and UTF-8 characters. */
    @ParameterizedTest
    @EnumSource(Case.class)
    void theStreamReadsTheSameFedOneByteAtATime(Case golden) {
        byte[] actual = encode(golden).getBytes();

        Goldens.assertSameEvents(Goldens.events(actual, 1), Goldens.events(actual, actual.length));
    }

    @ParameterizedTest
    @EnumSource(Case.class)
    void theOpenAiJavaSdkReadsEveryEventWithItsSequenceNumberInOrder(Case golden) throws IOException {
        List<SseEvent> events = Goldens.events(Goldens.bytes(golden.golden), Integer.MAX_VALUE);

        for (int i = 0; i < events.size(); i++) {
            SseEvent event = events.get(i);
            ResponseStreamEvent parsed = ObjectMappers.jsonMapper().readValue(event.data(), ResponseStreamEvent.class);
            parsed.validate();
            JsonNode data = Goldens.data(event);
            assertThat(data.get("type").asText()).as("type of event %d", i).isEqualTo(event.event());
            assertThat(data.get("sequence_number").asInt()).as("sequence_number of event %d", i).isEqualTo(i);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Case.class, names = {"TEXT", "PARALLEL_TOOL_CALLS_INTERLEAVED", "REASONING_WITH_SIGNATURE",
            "INCOMPLETE"})
    void theStreamAddsUpToThePlainResponse(Case golden) {
        UnifiedRequest request = codec.decodeRequest(Goldens.json(golden.request));
        ResponsesStreamAssembler assembler = new ResponsesStreamAssembler();
        Goldens.events(encode(golden).getBytes(), 1).forEach(assembler::onEvent);

        assertThat(assembler.complete()).isTrue();
        assertThat(assembler.result()).isEqualTo(Goldens.reparsed(
                codec.encodeResponse(plainEquivalent(golden), request)));
    }

    @Test
    void nothingIsWrittenAfterTheTerminalEvent() {
        StreamEncoder encoder = codec.streamEncoder(codec.decodeRequest(Goldens.json("requests/string-input.json")));
        for (StreamEvent event : Case.TEXT.events) {
            encoder.encode(event);
        }

        assertThat(encoder.encode(new TextDelta(0, "late")).length()).isZero();
        assertThat(encoder.encode(new StreamEvent.Error(GatewayError.internal("late"))).length()).isZero();
    }

    @Test
    void anErrorBeforeTheResponseStartedIsTheErrorEventAlone() {
        StreamEncoder encoder = codec.streamEncoder(codec.decodeRequest(Goldens.json("requests/string-input.json")));

        List<SseEvent> events = Goldens.events(encoder.encode(new StreamEvent.Error(
                new GatewayError(ErrorKind.RATE_LIMIT, "Rate limit reached", null))).getBytes(), 1);

        assertThat(events).hasSize(1);
        assertThat(Goldens.data(events.get(0))).isEqualTo(Goldens.reparsed(Json.MAPPER
                .createObjectNode().put("type", "error").put("sequence_number", 0)
                .put("code", "rate_limit_exceeded").put("message", "Rate limit reached").putNull("param")));
    }

    @Test
    void aStreamEndingWithoutFinishStillCompletes() {
        StreamEncoder encoder = codec.streamEncoder(null);
        Buffer out = Buffer.buffer();
        for (StreamEvent event : List.of(new Start("x", "m", null), new TextStart(0), new TextDelta(0, "Hi"),
                new End())) {
            out.appendBuffer(encoder.encode(event));
        }

        List<SseEvent> events = Goldens.events(out.getBytes(), 7);
        assertThat(events.get(events.size() - 1).event()).isEqualTo("response.completed");
        assertThat(Goldens.data(events.get(events.size() - 1)).at("/response/output/0/content/0/text").asText())
                .isEqualTo("Hi");
    }

    @Test
    void twoEncodersOfTheSameStreamWriteTheSameBytes() {
        assertThat(encode(Case.REASONING_WITH_SIGNATURE)).isEqualTo(encode(Case.REASONING_WITH_SIGNATURE));
    }

    private Buffer encode(Case golden) {
        StreamEncoder encoder = codec.streamEncoder(codec.decodeRequest(Goldens.json(golden.request)));
        Buffer out = Buffer.buffer();
        for (StreamEvent event : golden.events) {
            out.appendBuffer(encoder.encode(event));
        }
        return out;
    }

    /** The unstreamed answer a stream amounts to, block by block in order of opening. */
    private static UnifiedResponse plainEquivalent(Case golden) {
        Start start = (Start) golden.events.get(0);
        Finish finish = golden.events.stream().filter(Finish.class::isInstance).map(Finish.class::cast)
                .findFirst().orElseThrow();
        Map<Integer, StringBuilder> text = new TreeMap<>();
        Map<Integer, StreamEvent> starts = new TreeMap<>();
        Map<Integer, String> signatures = new HashMap<>();
        for (StreamEvent event : golden.events) {
            switch (event) {
                case TextStart s -> starts.put(s.index(), s);
                case ThinkingStart s -> starts.put(s.index(), s);
                case ToolCallStart s -> starts.put(s.index(), s);
                case StreamEvent.RedactedThinking s -> starts.put(s.index(), s);
                case TextDelta d -> text.computeIfAbsent(d.index(), i -> new StringBuilder()).append(d.text());
                case ThinkingDelta d -> text.computeIfAbsent(d.index(), i -> new StringBuilder()).append(d.text());
                case ToolArgumentsDelta d -> text.computeIfAbsent(d.index(), i -> new StringBuilder()).append(d.json());
                case SignatureDelta d -> signatures.put(d.index(), d.signature());
                default -> {
                }
            }
        }
        List<Part> content = starts.entrySet().stream().map(entry -> {
            String joined = text.getOrDefault(entry.getKey(), new StringBuilder()).toString();
            return (Part) switch (entry.getValue()) {
                case TextStart s -> new Part.Text(joined);
                case ThinkingStart s -> new Part.Thinking(joined, signatures.get(s.index()));
                case ToolCallStart s -> new Part.ToolCall(s.id(), s.name(), joined);
                case StreamEvent.RedactedThinking s -> new Part.RedactedThinking(s.data());
                default -> throw new IllegalStateException();
            };
        }).toList();
        return new UnifiedResponse(start.id(), start.model(), content, finish.stopReason(), finish.stopSequence(),
                finish.usage());
    }
}
