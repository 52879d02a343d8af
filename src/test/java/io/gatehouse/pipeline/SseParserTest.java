package io.gatehouse.pipeline;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SseParserTest {

    private static List<SseEvent> parse(String... chunks) {
        List<SseEvent> events = new ArrayList<>();
        SseParser parser = new SseParser(events::add);
        for (String chunk : chunks) {
            parser.feed(Buffer.buffer(chunk));
        }
        parser.finish();
        return events;
    }

    @Test
    void readsOpenAiChunksAndDone() {
        List<SseEvent> events = parse("data: {\"a\":1}\n\ndata: {\"a\":2}\n\ndata: [DONE]\n\n");
        assertThat(events).extracting(SseEvent::data).containsExactly("{\"a\":1}", "{\"a\":2}", "[DONE]");
        assertThat(events).extracting(SseEvent::event).containsOnlyNulls();
    }

    @Test
    void readsAnthropicEventNames() {
        List<SseEvent> events = parse("event: message_start\ndata: {\"type\":\"message_start\"}\n\n"
                + "event: ping\ndata: {\"type\": \"ping\"}\n\n");
        assertThat(events).extracting(SseEvent::event).containsExactly("message_start", "ping");
        assertThat(events.get(1).data()).isEqualTo("{\"type\": \"ping\"}");
    }

    @Test
    void eventSplitAcrossChunksAtEveryByte() {
        String stream = "event: a\ndata: héllo wörld\n\nevent: b\r\ndata: x\r\ndata: y\r\n\r\n";
        byte[] bytes = stream.getBytes(StandardCharsets.UTF_8);
        for (int cut = 1; cut < bytes.length; cut++) {
            List<SseEvent> events = new ArrayList<>();
            SseParser parser = new SseParser(events::add);
            parser.feed(Buffer.buffer(java.util.Arrays.copyOfRange(bytes, 0, cut)));
            parser.feed(Buffer.buffer(java.util.Arrays.copyOfRange(bytes, cut, bytes.length)));
            parser.finish();
            assertThat(events).as("cut at %d", cut).containsExactly(
                    new SseEvent("a", "héllo wörld", null), new SseEvent("b", "x\ny", null));
        }
    }

    @Test
    void lineEndingsCrLfAndBareCr() {
        assertThat(parse("data: 1\r\rdata: 2\r\n\r\ndata: 3\n\n"))
                .extracting(SseEvent::data).containsExactly("1", "2", "3");
    }

    @Test
    void commentsAndUnknownFieldsAreIgnoredAndOnlyOneSpaceIsDropped() {
        List<SseEvent> events = parse(": keep-alive\n\nretry: 10\nfoo: bar\ndata:  two spaces\ndata:none\n\n");
        assertThat(events).extracting(SseEvent::data).containsExactly(" two spaces\nnone");
    }

    @Test
    void eventWithoutDataIsNotDispatchedAndNameDoesNotLeak() {
        List<SseEvent> events = parse("event: lonely\n\ndata: x\n\n");
        assertThat(events).containsExactly(new SseEvent(null, "x", null));
    }

    @Test
    void unterminatedLastEventIsStillDeliveredAtTheEnd() {
        assertThat(parse("data: 1\n\ndata: tail")).extracting(SseEvent::data).containsExactly("1", "tail");
    }

    @Test
    void leadingByteOrderMarkIsSkipped() {
        assertThat(parse("\uFEFFdata: x\n\n")).extracting(SseEvent::data).containsExactly("x");
    }

    @Test
    void byteOrderMarkSplitAcrossChunksIsSkippedButNotLaterOnes() {
        byte[] bom = "\uFEFF".getBytes(StandardCharsets.UTF_8);
        List<SseEvent> events = new ArrayList<>();
        SseParser parser = new SseParser(events::add);
        parser.feed(Buffer.buffer(java.util.Arrays.copyOfRange(bom, 0, 1)));
        parser.feed(Buffer.buffer(java.util.Arrays.copyOfRange(bom, 1, 3)));
        parser.feed(Buffer.buffer("data: x\n\n\uFEFFdata: y\n\n"));
        parser.finish();
        // Only the stream's first bytes may be a BOM; later, "\uFEFFdata" is a field of another name.
        assertThat(events).extracting(SseEvent::data).containsExactly("x");
    }

    @Test
    void fieldNamesMatchWholeAndWithoutColonAFieldHasNoValue() {
        List<SseEvent> events = parse("datum: no\ndata\nevents: no\nid: 7\n\n");
        assertThat(events).containsExactly(new SseEvent(null, "", "7"));
    }
}
