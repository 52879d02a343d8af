package io.gatehouse.provider.gemini;

import io.gatehouse.pipeline.ErrorKind;
import io.gatehouse.pipeline.GatewayError;
import io.gatehouse.provider.translate.StopReason;
import io.gatehouse.provider.translate.StreamDecoder;
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
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Golden streams under stream/, exactly as {@code streamGenerateContent?alt=sse} sends them (CRLF-framed), fed
 * whole, one byte at a time and in random pieces: the network may split a stream anywhere, inside a UTF-8 character
 * or a line ending too, and the events must not change.
 */
class GeminiStreamDecoderTest {

    enum Chunking {
        WHOLE, ONE_BYTE, RANDOM_PIECES
    }

    private final GeminiOutboundCodec codec = new GeminiOutboundCodec();

    @ParameterizedTest
    @EnumSource(Chunking.class)
    void text(Chunking chunking) {
        assertThat(decode("text.sse", chunking)).containsExactly(
                new Start("pLNbaJ-5Loe6nvgP0a2hwAk", "gemini-2.0-flash", new TokenUsage(7, 0, 0, 0, 0)),
                new TextStart(0),
                new TextDelta(0, "Un café"),
                new TextDelta(0, " crème, s'il vous plaît ☕"),
                new TextDelta(0, "."),
                new BlockStop(0),
                new Finish(StopReason.END_TURN, null, new TokenUsage(7, 11, 0, 0, 0)),
                new End());
    }

    @ParameterizedTest
    @EnumSource(Chunking.class)
    void parallelFunctionCallsArriveWholeEachInItsOwnBlock(Chunking chunking) {
        String id = "Gk5daMjkL_-ezLIPnN3M-Ag";
        assertThat(decode("parallel-function-calls.sse", chunking)).containsExactly(
                new Start(id, "gemini-2.5-flash", new TokenUsage(71, 0, 0, 0, 0)),
                new ToolCallStart(0, "call_" + id + "_0", "get_weather"),
                new ToolArgumentsDelta(0, "{\"location\":\"Paris, France\"}"),
                new BlockStop(0),
                // The first call's signature, on a carrier right after it.
                new ThinkingStart(1),
                new SignatureDelta(1, "gemini:CuoBAcu98PDMd2Kp3tSNsXbGXtuAvq1mUA7s2yWp"),
                new BlockStop(1),
                new ToolCallStart(2, "call_" + id + "_1", "get_weather"),
                new ToolArgumentsDelta(2, "{\"location\":\"Tokyo, Japan\",\"unit\":\"celsius\"}"),
                new BlockStop(2),
                new ToolCallStart(3, "call_" + id + "_2", "get_time"),
                new ToolArgumentsDelta(3, "{\"timezone\":\"Asia/Tokyo\"}"),
                new BlockStop(3),
                new Finish(StopReason.TOOL_USE, null, new TokenUsage(71, 52 + 74, 0, 0, 74)),
                new End());
    }

    @ParameterizedTest
    @EnumSource(Chunking.class)
    void thoughtsThenTextWithTheSignatureInTheLastFrame(Chunking chunking) {
        assertThat(decode("thoughts-with-signature.sse", chunking)).containsExactly(
                new Start("yVxbaNbgHqKmkdUP6qK2mQc", "gemini-2.5-flash", new TokenUsage(2058, 0, 2048, 0, 0)),
                new ThinkingStart(0),
                new ThinkingDelta(0, "**Counting letters**\n\nI'll spell out the word"),
                new ThinkingDelta(0, " and count each r.\n\n"),
                new BlockStop(0),
                new TextStart(1),
                new TextDelta(1, "There are **3**"),
                new TextDelta(1, " r's in \"strawberry\"."),
                new BlockStop(1),
                new ThinkingStart(2),
                new SignatureDelta(2, "gemini:CiQBcsjafJ8sg2UBGLp0dfTQ/2SyWqOLixsz2JcUDCdS0+AGrIM="),
                new BlockStop(2),
                new Finish(StopReason.END_TURN, null, new TokenUsage(2058, 12 + 161, 2048, 0, 161)),
                new End());
    }

    @ParameterizedTest
    @EnumSource(Chunking.class)
    void anErrorFrameEndsTheStreamWithItsError(Chunking chunking) {
        assertThat(decode("error-mid-stream.sse", chunking)).containsExactly(
                new Start("3VxbaLqrNNqAnvgPmJbMuAY", "gemini-2.5-flash", new TokenUsage(12, 0, 0, 0, 0)),
                new TextStart(0),
                new TextDelta(0, "The first law of"),
                new StreamEvent.Error(new GatewayError(ErrorKind.UPSTREAM_UNREACHABLE, 503,
                        "The model is overloaded. Please try again later.", "UNAVAILABLE")));
    }

    @ParameterizedTest
    @EnumSource(Chunking.class)
    void aStreamCutBeforeItsFinishReasonEndsInAnError(Chunking chunking) {
        List<StreamEvent> events = decode("cut-mid-answer.sse", chunking);

        assertThat(events).startsWith(
                new Start("8VxbaI_HBqbEnvgPh9nF0Qc", "gemini-2.5-flash", new TokenUsage(8, 0, 0, 0, 0)),
                new TextStart(0),
                new TextDelta(0, "Photosynthesis turns light"),
                new TextDelta(0, " into chemical"));
        assertThat(events).hasSize(5).last().isEqualTo(new StreamEvent.Error(new GatewayError(
                ErrorKind.UPSTREAM_BROKEN, 502, "Gemini's stream ended before it finished (no finishReason)",
                "stream_cut")));
    }

    @ParameterizedTest
    @EnumSource(Chunking.class)
    void aBlockedPromptFinishesAsAContentFilter(Chunking chunking) {
        TokenUsage usage = new TokenUsage(15, 0, 0, 0, 0);
        assertThat(decode("blocked-prompt.sse", chunking)).containsExactly(
                new Start("c2pbaKXnNaWBz7IPrpbmiQk", "gemini-2.5-flash", usage),
                new Finish(StopReason.CONTENT_FILTER, null, usage),
                new End());
    }

    @Test
    void aSignatureOnALaterThoughtPartGoesToTheOpenThinkingBlock() {
        List<StreamEvent> events = decodeFrames(
                "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Weighing options\",\"thought\":true}]}}]}",
                "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"\",\"thought\":true,\"thoughtSignature\":\"c2ln\"}]}}]}",
                "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"More thought\",\"thought\":true}]}}]}",
                "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Done\"}]},\"finishReason\":\"MAX_TOKENS\"}]}");

        assertThat(events).containsExactly(
                new Start(null, null, TokenUsage.NONE),
                new ThinkingStart(0),
                new ThinkingDelta(0, "Weighing options"),
                new SignatureDelta(0, "gemini:c2ln"),
                // A signature closes a thought run: the next thought is a new block.
                new BlockStop(0),
                new ThinkingStart(1),
                new ThinkingDelta(1, "More thought"),
                new BlockStop(1),
                new TextStart(2),
                new TextDelta(2, "Done"),
                new BlockStop(2),
                new Finish(StopReason.MAX_TOKENS, null, null),
                new End());
    }

    @Test
    void aFrameThatIsNotJsonIsAnErrorAndNothingIsReadAfterIt() {
        List<StreamEvent> events = decodeFrames(
                "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hi\"}]}}]}",
                "{not json",
                "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"more\"}]},\"finishReason\":\"STOP\"}]}");

        assertThat(events).hasSize(4);
        assertThat(events.get(3)).isInstanceOfSatisfying(StreamEvent.Error.class,
                error -> assertThat(error.error().kind()).isEqualTo(ErrorKind.UPSTREAM_BROKEN));
    }

    @Test
    void framesAfterTheFinishAreIgnored() {
        List<StreamEvent> events = decodeFrames(
                "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hi\"}]},\"finishReason\":\"STOP\"}]}",
                "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"late\"}]}}]}");

        assertThat(events).last().isEqualTo(new End());
        assertThat(events).doesNotContain(new TextDelta(0, "late"));
    }

    @Test
    void anEmptyBodyIsACutStream() {
        StreamDecoder decoder = codec.streamDecoder();

        assertThat(decoder.decode(Buffer.buffer())).isEmpty();
        assertThat(decoder.finish()).singleElement().isInstanceOfSatisfying(StreamEvent.Error.class,
                error -> assertThat(error.error().kind()).isEqualTo(ErrorKind.UPSTREAM_BROKEN));
    }

    @Test
    void aLastFrameWithoutItsBlankLineIsStillRead() {
        StreamDecoder decoder = codec.streamDecoder();

        List<StreamEvent> events = new ArrayList<>(decoder.decode(Buffer.buffer(
                "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hi\"}]},\"finishReason\":\"STOP\"}]}")));
        assertThat(events).isEmpty();
        events.addAll(decoder.finish());

        assertThat(events).endsWith(new Finish(StopReason.END_TURN, null, null), new End());
    }

    @Test
    void eachStreamHasItsOwnDecoder() {
        StreamDecoder first = codec.streamDecoder();
        StreamDecoder second = codec.streamDecoder();
        byte[] stream = GeminiGoldens.bytes("stream/text.sse");
        byte[] other = GeminiGoldens.bytes("stream/cut-mid-answer.sse");

        first.decode(Buffer.buffer(Arrays.copyOf(stream, 100)));
        second.decode(Buffer.buffer(other));
        first.decode(Buffer.buffer(Arrays.copyOfRange(stream, 100, stream.length)));

        assertThat(first.finish()).containsExactly(new End());
        assertThat(second.finish()).singleElement().isInstanceOf(StreamEvent.Error.class);
    }

    private List<StreamEvent> decode(String golden, Chunking chunking) {
        byte[] stream = GeminiGoldens.bytes("stream/" + golden);
        StreamDecoder decoder = codec.streamDecoder();
        List<StreamEvent> events = new ArrayList<>();
        for (byte[] piece : pieces(stream, chunking)) {
            events.addAll(decoder.decode(Buffer.buffer(piece)));
        }
        events.addAll(decoder.finish());
        return events;
    }

    private List<StreamEvent> decodeFrames(String... frames) {
        StringBuilder body = new StringBuilder();
        for (String frame : frames) {
            body.append("data: ").append(frame).append("\r\n\r\n");
        }
        StreamDecoder decoder = codec.streamDecoder();
        List<StreamEvent> events = new ArrayList<>(decoder.decode(Buffer.buffer(body.toString(),
                StandardCharsets.UTF_8.name())));
        events.addAll(decoder.finish());
        return events;
    }

    private static List<byte[]> pieces(byte[] stream, Chunking chunking) {
        if (chunking == Chunking.WHOLE) {
            return List.of(stream);
        }
        // A fixed seed, so that a failure replays exactly.
        Random random = new Random(20250611);
        int maxPiece = chunking == Chunking.ONE_BYTE ? 1 : 53;
        List<byte[]> pieces = new ArrayList<>();
        for (int from = 0; from < stream.length; ) {
            int to = Math.min(stream.length, from + 1 + random.nextInt(maxPiece));
            pieces.add(Arrays.copyOfRange(stream, from, to));
            from = to;
        }
        return pieces;
    }
}
