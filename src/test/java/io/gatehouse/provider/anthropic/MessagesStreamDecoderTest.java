package io.gatehouse.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.pipeline.ErrorKind;
import io.gatehouse.pipeline.GatewayError;
import io.gatehouse.provider.anthropic.TranslationGoldens.Chunking;
import io.gatehouse.provider.translate.StopReason;
import io.gatehouse.provider.translate.StreamEvent;
import io.gatehouse.provider.translate.TokenUsage;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static io.gatehouse.provider.anthropic.TranslationGoldens.FOLDER;
import static io.gatehouse.provider.anthropic.TranslationGoldens.TRANSCRIPTS;
import static org.assertj.core.api.Assertions.assertThat;

class MessagesStreamDecoderTest {
    private static final String EXPECTED = FOLDER + "outbound/streams/";
    private static final String START = "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\","
            + "\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-x\",\"content\":[],\"stop_reason\":null,"
            + "\"stop_sequence\":null,\"usage\":{\"input_tokens\":10,\"cache_read_input_tokens\":7,\"output_tokens\":1}}}\n\n";

    /** Every real transcript, each in every chunking, against the unified events it must decode into. */
    static Stream<Arguments> transcripts() {
        return TranslationGoldens.names(EXPECTED, ".events.json").flatMap(name ->
                Arrays.stream(Chunking.values()).map(chunking -> Arguments.of(name, chunking)));
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("transcripts")
    void decodesRealTranscriptsHoweverTheBytesAreSplit(String name, Chunking chunking) {
        byte[] sse = TranslationGoldens.bytes(TRANSCRIPTS + name + ".sse");
        MessagesStreamDecoder decoder = new MessagesStreamDecoder();
        List<StreamEvent> events = new ArrayList<>();
        for (Buffer chunk : TranslationGoldens.chunks(sse, chunking)) {
            events.addAll(decoder.decode(chunk));
        }
        events.addAll(decoder.finish());
        assertThat(TranslationGoldens.eventsJson(events))
                .isEqualTo(TranslationGoldens.json(EXPECTED + name + ".events.json"));
    }

    @Test
    void eventsComeOutAsSoonAsTheirFrameIsComplete() {
        MessagesStreamDecoder decoder = new MessagesStreamDecoder();
        assertThat(decoder.decode(Buffer.buffer(START.substring(0, 40)))).isEmpty();
        assertThat(decoder.decode(Buffer.buffer(START.substring(40)))).singleElement()
                .isEqualTo(new StreamEvent.Start("msg_1", "claude-x", new TokenUsage(17, 1, 7, 0, 0)));
        assertThat(decoder.decode(Buffer.buffer("event: ping\ndata: {\"type\": \"ping\"}\n\n"))).isEmpty();
    }

    @Test
    void aStreamCutBeforeMessageStopEndsInAnError() {
        MessagesStreamDecoder decoder = new MessagesStreamDecoder();
        decoder.decode(Buffer.buffer(START + "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":"
                + "{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":3}}\n\n"));
        assertThat(decoder.finish()).singleElement().isInstanceOfSatisfying(StreamEvent.Error.class, error -> {
            assertThat(error.error().kind()).isEqualTo(ErrorKind.UPSTREAM_BROKEN);
            assertThat(error.error().status()).isEqualTo(502);
        });
        assertThat(decoder.finish()).as("only once").isEmpty();
    }

    @Test
    void aCleanStreamOwesNothingAtItsEnd() {
        MessagesStreamDecoder decoder = new MessagesStreamDecoder();
        decoder.decode(Buffer.buffer(TranslationGoldens.bytes(TRANSCRIPTS + "plain-text.sse")));
        assertThat(decoder.finish()).isEmpty();
    }

    @Test
    void messageStopWithoutMessageDeltaIsAnErrorNotAnAnswerWithoutStopReason() {
        MessagesStreamDecoder decoder = new MessagesStreamDecoder();
        List<StreamEvent> events = decoder.decode(Buffer.buffer(START
                + "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"));
        assertThat(events).hasSize(2).last().isInstanceOf(StreamEvent.Error.class);
        assertThat(decoder.finish()).isEmpty();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "overloaded_error, 529, UPSTREAM_UNREACHABLE",
            "api_error, 500, INTERNAL",
            "rate_limit_error, 429, RATE_LIMIT",
            "invalid_request_error, 400, INVALID_REQUEST",
            "authentication_error, 401, AUTHENTICATION",
            "permission_error, 403, PERMISSION",
            "not_found_error, 404, NOT_FOUND",
            "request_too_large, 413, REQUEST_TOO_LARGE",
            "timeout_error, 504, UPSTREAM_TIMEOUT",
            "billing_error, 402, PERMISSION",
            "some_future_error, 500, INTERNAL"})
    void anErrorEventHasTheStatusItsTypeStandsFor(String type, int status, ErrorKind kind) {
        MessagesStreamDecoder decoder = new MessagesStreamDecoder();
        List<StreamEvent> events = decoder.decode(Buffer.buffer(START + "event: error\ndata: {\"type\":\"error\","
                + "\"error\":{\"type\":\"" + type + "\",\"message\":\"It broke\"}}\n\n"
                + "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"));
        assertThat(events).hasSize(2);
        assertThat(events.get(1)).isEqualTo(new StreamEvent.Error(new GatewayError(kind, status, "It broke", type)));
        assertThat(decoder.finish()).as("nothing after the error").isEmpty();
    }

    @Test
    void anEventThatIsNotJsonBreaksTheStream() {
        MessagesStreamDecoder decoder = new MessagesStreamDecoder();
        List<StreamEvent> events = decoder.decode(Buffer.buffer(START + "event: content_block_start\ndata: {oops\n\n"));
        assertThat(events.get(1)).isInstanceOfSatisfying(StreamEvent.Error.class,
                error -> assertThat(error.error().kind()).isEqualTo(ErrorKind.UPSTREAM_BROKEN));
    }

    @Test
    void usageOfMessageDeltaIsMergedOverMessageStartsFieldByField() {
        MessagesStreamDecoder decoder = new MessagesStreamDecoder();
        List<StreamEvent> events = decoder.decode(Buffer.buffer(START + "event: message_delta\ndata: {\"type\":"
                + "\"message_delta\",\"delta\":{\"stop_reason\":\"max_tokens\",\"stop_sequence\":null},\"usage\":"
                + "{\"input_tokens\":null,\"cache_creation_input_tokens\":5,\"output_tokens\":42}}\n\n"));
        assertThat(events.get(1)).isEqualTo(new StreamEvent.Finish(StopReason.MAX_TOKENS, null,
                new TokenUsage(22, 42, 7, 5, 0)));
    }

    @Test
    void deltasOfUnknownBlocksAndUnknownEventsAreSkipped() {
        MessagesStreamDecoder decoder = new MessagesStreamDecoder();
        List<StreamEvent> events = decoder.decode(Buffer.buffer(START
                + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":9,\"delta\":"
                + "{\"type\":\"text_delta\",\"text\":\"orphan\"}}\n\n"
                + "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":"
                + "{\"type\":\"hologram\"}}\n\n"
                + "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n"
                + "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":1,\"content_block\":"
                + "{\"type\":\"text\",\"text\":\"\"}}\n\n"
                + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":1,\"delta\":"
                + "{\"type\":\"hologram_delta\"}}\n\n"
                + "event: future\ndata: {\"type\":\"future\"}\n\n"));
        assertThat(events).containsExactly(
                new StreamEvent.Start("msg_1", "claude-x", new TokenUsage(17, 1, 7, 0, 0)),
                new StreamEvent.TextStart(0));
    }

    /**
     * Deltas are read by a streaming parser; the shapes it leaves to the tree (objects in the delta, an index as
     * text, a repeated type) come out as the tree reads them, and a broken delta still breaks the stream.
     */
    @Test
    void deltasOfEveryShapeReadTheSameWhicheverParserTakesThem() {
        String textBlock = "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,"
                + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n";
        MessagesStreamDecoder decoder = new MessagesStreamDecoder();
        List<StreamEvent> events = decoder.decode(Buffer.buffer(START + textBlock
                + "data: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\","
                + "\"text\":\"a\\n\\\"b\\u00e9\"},\"extra\":[1,{\"x\":2}]}\n\n"
                + "data: {\"type\":\"content_block_delta\",\"index\":\"0\",\"delta\":{\"type\":\"text_delta\","
                + "\"text\":\"c\"}}\n\n"
                + "data: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"citations_delta\","
                + "\"citation\":{\"cited_text\":\"x\"}}}\n\n"
                + "data: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\","
                + "\"text\":\"d\"},\"type\":\"ping\"}\n\n"
                + "data: {\"type\":\"content_block_delta\" , \"index\" : 0 , \"delta\" : {\"text\" : \"e\","
                + "\"type\":\"text_delta\"}}\n\n"));
        assertThat(events).filteredOn(StreamEvent.TextDelta.class::isInstance).containsExactly(
                new StreamEvent.TextDelta(0, "a\n\"bé"), new StreamEvent.TextDelta(0, "c"),
                new StreamEvent.TextDelta(0, "e"));

        List<StreamEvent> broken = new MessagesStreamDecoder().decode(Buffer.buffer(START + textBlock
                + "data: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\"\n\n"));
        assertThat(broken.getLast()).isInstanceOf(StreamEvent.Error.class);
    }

    @Test
    void aToolInputGivenWholeInItsStartIsPassedOnAsArguments() {
        MessagesStreamDecoder decoder = new MessagesStreamDecoder();
        List<StreamEvent> events = decoder.decode(Buffer.buffer(START
                + "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":"
                + "{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"f\",\"input\":{\"a\":1}}}\n\n"
                + "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n"));
        assertThat(events).containsSubsequence(new StreamEvent.ToolCallStart(0, "toolu_1", "f"),
                new StreamEvent.ToolArgumentsDelta(0, "{\"a\":1}"), new StreamEvent.BlockStop(0));
        assertThat(events).filteredOn(StreamEvent.ToolArgumentsDelta.class::isInstance).hasSize(1);
    }

    @Test
    void goldenEventsAreReadBackAsTheSameRecords() {
        // The goldens' JSON form must be faithful, or the transcript tests would compare nothing.
        List<StreamEvent> events = TranslationGoldens.events(EXPECTED + "redacted-thinking-stop-sequence.events.json");
        assertThat(events).contains(new StreamEvent.Finish(StopReason.STOP_SEQUENCE, "\n2.",
                new TokenUsage(312, 88, 0, 0, 0)));
        JsonNode back = TranslationGoldens.eventsJson(events);
        assertThat(back).isEqualTo(TranslationGoldens.json(EXPECTED + "redacted-thinking-stop-sequence.events.json"));
    }
}
