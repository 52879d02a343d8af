package io.gatehouse.provider.bedrock;

import io.gatehouse.pipeline.ErrorKind;
import io.gatehouse.provider.bedrock.EventStreams.Chunking;
import io.gatehouse.provider.translate.StreamDecoder;
import io.gatehouse.provider.translate.StreamEvent;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.eventstream.HeaderValue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** ConverseStream transcripts, built from readable golden frames, decoded whole, frame by frame and in pieces. */
class ConverseStreamDecoderTest {
    private static final List<String> TRANSCRIPTS =
            List.of("stream-text", "stream-tool-use", "stream-reasoning", "stream-exception", "stream-cut");

    static Stream<Arguments> transcripts() {
        return TRANSCRIPTS.stream().flatMap(name -> Arrays.stream(Chunking.values()).map(c -> Arguments.of(name, c)));
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("transcripts")
    void decodesGoldenTranscript(String name, Chunking chunking) {
        List<StreamEvent> events = EventStreams.decode(new BedrockOutboundCodec().streamDecoder(),
                EventStreams.frames(name), chunking);

        Golden.assertJsonEquals(UnifiedJson.events(events), Golden.json(name + ".events.json"));
    }

    @Test
    void startCarriesTheRequestIdOfTheResponsesHeaders() {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("X-Amzn-RequestId", "req-7f3a");
        List<StreamEvent> events = EventStreams.decode(new BedrockOutboundCodec().streamDecoder(headers),
                EventStreams.frames("stream-text"), Chunking.WHOLE);
        assertThat(events.getFirst()).isEqualTo(new StreamEvent.Start("req-7f3a", null, null));

        List<StreamEvent> unnamed = EventStreams.decode(new BedrockOutboundCodec().streamDecoder(
                MultiMap.caseInsensitiveMultiMap()), EventStreams.frames("stream-text"), Chunking.WHOLE);
        assertThat(unnamed.getFirst()).isEqualTo(new StreamEvent.Start("bedrock-stream", null, null));
    }

    @Test
    void aLargeFrameSplitAcrossManyChunksArrivesWhole() {
        String text = "x".repeat(200_000);
        List<byte[]> frames = new ArrayList<>(EventStreams.frames("stream-text"));
        frames.add(2, event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"" + text + "\"}}"));
        byte[] body = EventStreams.body(frames);
        StreamDecoder decoder = new BedrockOutboundCodec().streamDecoder();

        List<StreamEvent> events = new ArrayList<>();
        for (int offset = 0; offset < body.length; offset += 1400) {
            events.addAll(decoder.decode(Buffer.buffer(Arrays.copyOfRange(body, offset,
                    Math.min(body.length, offset + 1400)))));
        }
        events.addAll(decoder.finish());

        assertThat(events).contains(new StreamEvent.TextDelta(0, text));
        assertThat(events.getLast()).isEqualTo(new StreamEvent.End());
    }

    @Test
    void aStreamCutInsideAFrameEndsInAnError() {
        byte[] body = EventStreams.body(EventStreams.frames("stream-text"));
        StreamDecoder decoder = new BedrockOutboundCodec().streamDecoder();

        List<StreamEvent> events = new ArrayList<>(decoder.decode(Buffer.buffer(Arrays.copyOf(body, body.length - 10))));
        events.addAll(decoder.finish());

        assertThat(events).hasSize(6);
        assertThat(events.get(4)).isEqualTo(new StreamEvent.BlockStop(0));
        StreamEvent.Error error = (StreamEvent.Error) events.getLast();
        assertThat(error.error().kind()).isEqualTo(ErrorKind.UPSTREAM_BROKEN);
        assertThat(error.error().message()).contains("in the middle of an event");
    }

    @Test
    void aStreamEndedAfterMessageStopButBeforeItsMetadataEndsInAnError() {
        List<byte[]> frames = EventStreams.frames("stream-text");
        List<StreamEvent> events = EventStreams.decode(new BedrockOutboundCodec().streamDecoder(),
                frames.subList(0, frames.size() - 1), Chunking.WHOLE);

        assertThat(events.getLast()).isInstanceOf(StreamEvent.Error.class);
        assertThat(((StreamEvent.Error) events.getLast()).error().message()).contains("before its metadata");
        assertThat(events).noneMatch(event -> event instanceof StreamEvent.Finish);
    }

    @Test
    void aFrameFailingItsChecksumEndsTheStreamAfterTheFramesBeforeIt() {
        List<byte[]> frames = new ArrayList<>(EventStreams.frames("stream-text"));
        byte[] corrupt = frames.get(2).clone();
        corrupt[corrupt.length - 8] ^= 0x20;
        frames.set(2, corrupt);
        StreamDecoder decoder = new BedrockOutboundCodec().streamDecoder();

        List<StreamEvent> events = new ArrayList<>(decoder.decode(Buffer.buffer(EventStreams.body(frames))));

        assertThat(events).hasSize(4);
        assertThat(events.get(2)).isEqualTo(new StreamEvent.TextDelta(0, "Hello"));
        StreamEvent.Error error = (StreamEvent.Error) events.get(3);
        assertThat(error.error().kind()).isEqualTo(ErrorKind.UPSTREAM_BROKEN);
        assertThat(error.error().message()).contains("corrupt event-stream frame").contains("checksum");
        assertThat(decoder.finish()).isEmpty();
        assertThat(decoder.decode(Buffer.buffer(frames.get(3)))).isEmpty();
    }

    @Test
    void anImpossibleFrameLengthIsReportedAtOnce() {
        StreamDecoder decoder = new BedrockOutboundCodec().streamDecoder();

        List<StreamEvent> events = decoder.decode(Buffer.buffer(new byte[]{0x7f, 0, 0, 0, 1, 2}));

        assertThat(events).singleElement().isInstanceOf(StreamEvent.Error.class);
    }

    @Test
    void aModelErrorInsideTheStreamKeepsBedrocksStatus() {
        List<byte[]> frames = new ArrayList<>(EventStreams.frames("stream-cut"));
        frames.add(exception("modelStreamErrorException",
                "{\"message\":\"Model crashed\",\"originalStatusCode\":500,\"originalMessage\":\"boom\"}"));

        List<StreamEvent> events = EventStreams.decode(new BedrockOutboundCodec().streamDecoder(), frames,
                Chunking.ONE_BYTE);

        StreamEvent.Error error = (StreamEvent.Error) events.getLast();
        assertThat(error.error().kind()).isEqualTo(ErrorKind.UPSTREAM_BROKEN);
        assertThat(error.error().status()).isEqualTo(424);
        assertThat(error.error().message()).isEqualTo("Model crashed");
        assertThat(error.error().code()).isEqualTo("ModelStreamErrorException");
        assertThat(events).filteredOn(event -> event instanceof StreamEvent.Error).hasSize(1);
    }

    @Test
    void eachDocumentedStreamExceptionMapsToItsStatus() {
        Map<String, Integer> statuses = Map.of("internalServerException", 500, "modelStreamErrorException", 424,
                "validationException", 400, "throttlingException", 429, "serviceUnavailableException", 503);
        statuses.forEach((type, status) -> {
            StreamDecoder decoder = new BedrockOutboundCodec().streamDecoder();
            List<StreamEvent> events = decoder.decode(Buffer.buffer(exception(type, "{\"message\":\"m\"}")));
            assertThat(((StreamEvent.Error) events.getFirst()).error().status()).as(type).isEqualTo(status);
        });
    }

    @Test
    void unknownEventsAndDeltasAreSkipped() {
        List<byte[]> frames = new ArrayList<>(EventStreams.frames("stream-text"));
        frames.add(1, event("somethingNew", "{\"x\":1}"));
        frames.add(2, event("contentBlockDelta",
                "{\"contentBlockIndex\":0,\"delta\":{\"citation\":{\"title\":\"t\"}},\"p\":\"abc\"}"));

        List<StreamEvent> events = EventStreams.decode(new BedrockOutboundCodec().streamDecoder(), frames,
                Chunking.WHOLE);

        Golden.assertJsonEquals(UnifiedJson.events(events), Golden.json("stream-text.events.json"));
    }

    @Test
    void toolInputForABlockThatIsNoToolCallIsABrokenStream() {
        List<byte[]> frames = new ArrayList<>(EventStreams.frames("stream-cut"));
        frames.add(event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"toolUse\":{\"input\":\"{\"}}}"));

        List<StreamEvent> events = EventStreams.decode(new BedrockOutboundCodec().streamDecoder(), frames,
                Chunking.WHOLE);

        assertThat(events.getLast()).isInstanceOf(StreamEvent.Error.class);
        assertThat(events).filteredOn(event -> event instanceof StreamEvent.Error).hasSize(1);
    }

    @Test
    void aPayloadThatIsNotJsonIsABrokenStream() {
        StreamDecoder decoder = new BedrockOutboundCodec().streamDecoder();

        List<StreamEvent> events = decoder.decode(Buffer.buffer(event("messageStart", "not json")));

        assertThat(events).singleElement().isInstanceOf(StreamEvent.Error.class);
    }

    @Test
    void blocksLeftOpenAreClosedBeforeTheFinish() {
        List<byte[]> frames = new ArrayList<>(EventStreams.frames("stream-text"));
        frames.remove(3);

        List<StreamEvent> events = EventStreams.decode(new BedrockOutboundCodec().streamDecoder(), frames,
                Chunking.WHOLE);

        Golden.assertJsonEquals(UnifiedJson.events(events), Golden.json("stream-text.events.json"));
    }

    static byte[] event(String type, String payload) {
        Map<String, HeaderValue> headers = new LinkedHashMap<>();
        headers.put(":event-type", HeaderValue.fromString(type));
        headers.put(":content-type", HeaderValue.fromString("application/json"));
        headers.put(":message-type", HeaderValue.fromString("event"));
        return EventStreams.frame(headers, payload.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] exception(String type, String payload) {
        Map<String, HeaderValue> headers = new LinkedHashMap<>();
        headers.put(":exception-type", HeaderValue.fromString(type));
        headers.put(":content-type", HeaderValue.fromString("application/json"));
        headers.put(":message-type", HeaderValue.fromString("exception"));
        return EventStreams.frame(headers, payload.getBytes(StandardCharsets.UTF_8));
    }
}
