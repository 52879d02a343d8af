package io.gatehouse.provider.anthropic;

import io.gatehouse.pipeline.SseEvent;
import io.gatehouse.provider.anthropic.TranslationGoldens.Chunking;
import io.gatehouse.provider.translate.StopReason;
import io.gatehouse.provider.translate.StreamEncoder;
import io.gatehouse.provider.translate.StreamEvent;
import io.gatehouse.provider.translate.TokenUsage;
import io.gatehouse.provider.translate.UnifiedRequest;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static io.gatehouse.provider.anthropic.TranslationGoldens.FOLDER;
import static io.gatehouse.provider.anthropic.TranslationGoldens.TRANSCRIPTS;
import static org.assertj.core.api.Assertions.assertThat;

class MessagesStreamEncoderTest {
    private static final String STREAMS = FOLDER + "inbound/streams/";
    private static final UnifiedRequest REQUEST = new MessagesInboundCodec().decodeRequest(TranslationGoldens.readTree(
            "{\"model\":\"claude-requested\",\"max_tokens\":100,\"stream\":true,\"messages\":"
                    + "[{\"role\":\"user\",\"content\":\"Hi\"}]}"));

    static Stream<String> streamGoldens() {
        return TranslationGoldens.names(STREAMS, ".events.json");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("streamGoldens")
    void writesUnifiedStreamsAsAnthropicSendsThem(String name) {
        byte[] written = encode(TranslationGoldens.events(STREAMS + name + ".events.json"));
        TranslationGoldens.assertSameEvents(written, TranslationGoldens.bytes(STREAMS + name + ".sse"));
    }

    /** Every event framed exactly as Anthropic frames it: its name, its data on one line, a blank line. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("streamGoldens")
    void framesEveryEventAsAnthropicDoes(String name) {
        byte[] written = encode(TranslationGoldens.events(STREAMS + name + ".events.json"));
        List<SseEvent> events = TranslationGoldens.sseEvents(written);
        StringBuilder reframed = new StringBuilder();
        for (SseEvent event : events) {
            assertThat(TranslationGoldens.readTree(event.data()).get("type").asText()).isEqualTo(event.event());
            reframed.append("event: ").append(event.event()).append("\ndata: ").append(event.data()).append("\n\n");
        }
        assertThat(new String(written, StandardCharsets.UTF_8)).isEqualTo(reframed.toString());
    }

    @Test
    void aBlockOpenedWhileAnotherIsOpenWaitsWithoutLosingAFragment() {
        StreamEncoder encoder = new MessagesInboundCodec().streamEncoder(REQUEST);
        encoder.encode(new StreamEvent.Start("chatcmpl-1", "gpt-4o", null));
        assertThat(text(encoder.encode(new StreamEvent.ToolCallStart(0, "call_a", "f")))).contains("call_a");
        assertThat(text(encoder.encode(new StreamEvent.ToolArgumentsDelta(0, "{\"a\":")))).contains("input_json_delta");
        assertThat(text(encoder.encode(new StreamEvent.ToolCallStart(1, "call_b", "f")))).as("held").isEmpty();
        assertThat(text(encoder.encode(new StreamEvent.ToolArgumentsDelta(1, "{\"b\":2}")))).as("held").isEmpty();
        assertThat(text(encoder.encode(new StreamEvent.ToolArgumentsDelta(0, "1}")))).as("the open block streams on")
                .contains("1}");
        String released = text(encoder.encode(new StreamEvent.BlockStop(0)));
        assertThat(TranslationGoldens.sseEvents(released.getBytes(StandardCharsets.UTF_8)))
                .extracting(SseEvent::event)
                .containsExactly("content_block_stop", "content_block_start", "content_block_delta");
        assertThat(released).contains("call_b").contains("{\\\"b\\\":2}");
        assertThat(text(encoder.encode(new StreamEvent.BlockStop(1)))).contains("content_block_stop");
    }

    @Test
    void aStreamWithoutStartStillBeginsWithMessageStartNamingTheRequestedModel() {
        StreamEncoder encoder = new MessagesInboundCodec().streamEncoder(REQUEST);
        List<SseEvent> events = TranslationGoldens.sseEvents(encoder.encode(new StreamEvent.TextStart(0)).getBytes());
        assertThat(events).extracting(SseEvent::event).containsExactly("message_start", "content_block_start");
        assertThat(TranslationGoldens.readTree(events.get(0).data()).at("/message/model").asText())
                .isEqualTo("claude-requested");
    }

    @Test
    void nothingIsWrittenAfterTheEndOrAfterAnError() {
        StreamEncoder ended = new MessagesInboundCodec().streamEncoder(REQUEST);
        ended.encode(new StreamEvent.Start("msg_1", "claude-x", TokenUsage.NONE));
        ended.encode(new StreamEvent.Finish(StopReason.END_TURN, null, TokenUsage.NONE));
        assertThat(text(ended.encode(new StreamEvent.End()))).contains("message_stop");
        assertThat(text(ended.encode(new StreamEvent.TextStart(0)))).isEmpty();
        assertThat(text(ended.encode(new StreamEvent.End()))).isEmpty();

        StreamEncoder failed = new MessagesInboundCodec().streamEncoder(REQUEST);
        failed.encode(new StreamEvent.Start("msg_1", "claude-x", TokenUsage.NONE));
        failed.encode(new StreamEvent.Error(io.gatehouse.pipeline.GatewayError.internal("boom")));
        assertThat(text(failed.encode(new StreamEvent.Finish(StopReason.END_TURN, null, null)))).isEmpty();
    }

    @Test
    void deltasOfBlocksNeverStartedOrAlreadyStoppedAreNotWritten() {
        StreamEncoder encoder = new MessagesInboundCodec().streamEncoder(REQUEST);
        encoder.encode(new StreamEvent.Start("msg_1", "claude-x", TokenUsage.NONE));
        assertThat(text(encoder.encode(new StreamEvent.TextDelta(3, "orphan")))).isEmpty();
        assertThat(text(encoder.encode(new StreamEvent.TextDelta(-1, "negative")))).isEmpty();
        encoder.encode(new StreamEvent.TextStart(0));
        encoder.encode(new StreamEvent.BlockStop(0));
        assertThat(text(encoder.encode(new StreamEvent.TextDelta(0, "late")))).isEmpty();
        assertThat(text(encoder.encode(new StreamEvent.BlockStop(0)))).isEmpty();
    }

    /**
     * Anthropic to Anthropic through the unified shape gives back the stream it started from, event for event (ping
     * and the empty first fragment of a tool input aside, which carry nothing), fed byte by byte.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"thinking-text-tool-use", "plain-text", "redacted-thinking-stop-sequence",
            "cached-usage-merge"})
    void aRealTranscriptSurvivesTheRoundTrip(String name) {
        byte[] original = TranslationGoldens.bytes(TRANSCRIPTS + name + ".sse");
        MessagesStreamDecoder decoder = new MessagesStreamDecoder();
        List<StreamEvent> unified = new ArrayList<>();
        for (Buffer chunk : TranslationGoldens.chunks(original, Chunking.ONE_BYTE)) {
            unified.addAll(decoder.decode(chunk));
        }
        unified.addAll(decoder.finish());
        List<SseEvent> expected = TranslationGoldens.sseEvents(original).stream()
                .filter(event -> !event.event().equals("ping") && !event.data().contains("\"partial_json\":\"\""))
                .toList();
        List<SseEvent> written = TranslationGoldens.sseEvents(encode(unified));
        assertThat(written).extracting(SseEvent::event).isEqualTo(expected.stream().map(SseEvent::event).toList());
        for (int i = 0; i < written.size(); i++) {
            if (written.get(i).event().startsWith("content_block")) {
                assertThat(TranslationGoldens.readTree(written.get(i).data())).as("event %d", i)
                        .isEqualTo(TranslationGoldens.readTree(expected.get(i).data()));
            }
        }
        String usageField = "/usage/output_tokens";
        assertThat(TranslationGoldens.readTree(written.get(written.size() - 2).data()).at(usageField))
                .isEqualTo(TranslationGoldens.readTree(expected.get(expected.size() - 2).data()).at(usageField));
    }

    private static byte[] encode(List<StreamEvent> events) {
        StreamEncoder encoder = new MessagesInboundCodec().streamEncoder(REQUEST);
        Buffer written = Buffer.buffer();
        events.forEach(event -> written.appendBuffer(encoder.encode(event)));
        return written.getBytes();
    }

    private static String text(Buffer buffer) {
        return buffer.toString(StandardCharsets.UTF_8);
    }
}
