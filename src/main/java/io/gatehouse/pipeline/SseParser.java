package io.gatehouse.pipeline;

import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Incremental SSE parser. It reads the chunks as they pass, copies each chunk's bytes out once (scanning a
 * byte array is several times faster than reading a Netty buffer byte by byte, with its bounds and reference
 * checks), decodes each field's value from them into a String, and keeps only an unfinished line between chunks.
 * Follows the WHATWG rules: CR, LF or CRLF line ends, a blank line ends an event, lines starting with
 * a colon are comments, one space after the colon is dropped, an event with no data is not dispatched.
 * Not thread-safe: one parser per stream.
 */
public final class SseParser {
    private static final byte[] UTF8_BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    private static final byte[] DATA = "data".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EVENT = "event".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ID = "id".getBytes(StandardCharsets.US_ASCII);

    private final Consumer<SseEvent> sink;
    private Buffer partialLine;
    private boolean lastWasCr;
    private boolean bomChecked;
    private String eventName;
    /** The event's data: its first line as is; later lines, rarely sent, joined in {@link #moreData}. */
    private String data;
    private StringBuilder moreData;
    private String id;

    public SseParser(Consumer<SseEvent> sink) {
        this.sink = sink;
    }

    public void feed(Buffer chunk) {
        byte[] bytes = chunk.getBytes();
        int length = bytes.length;
        int lineStart = 0;
        for (int i = 0; i < length; i++) {
            byte b = bytes[i];
            if (b == '\n' && lastWasCr && i == lineStart) {
                // The LF of a CRLF split across (or within) chunks: the line already ended at the CR.
                lastWasCr = false;
                lineStart = i + 1;
                continue;
            }
            if (b == '\n' || b == '\r') {
                endLine(bytes, lineStart, i);
                lastWasCr = b == '\r';
                lineStart = i + 1;
            } else {
                lastWasCr = false;
            }
        }
        if (lineStart < length) {
            if (partialLine == null) {
                partialLine = Buffer.buffer(length - lineStart);
            }
            partialLine.appendBytes(bytes, lineStart, length - lineStart);
        }
    }

    /** Call at the end of the stream: an event cut off without its blank line is still delivered. */
    public void finish() {
        if (partialLine != null) {
            byte[] line = partialLine.getBytes();
            partialLine = null;
            processLine(line, 0, line.length);
        }
        dispatch();
    }

    private void endLine(byte[] bytes, int from, int to) {
        if (partialLine != null) {
            byte[] line = partialLine.appendBytes(bytes, from, to - from).getBytes();
            partialLine = null;
            processLine(line, 0, line.length);
        } else {
            processLine(bytes, from, to);
        }
    }

    /**
     * One line, read straight from the bytes: only a field's value becomes a String, since this runs for every
     * line of every stream.
     */
    private void processLine(byte[] line, int from, int to) {
        if (!bomChecked) {
            bomChecked = true;
            if (to - from >= UTF8_BOM.length && Arrays.equals(line, from, from + UTF8_BOM.length, UTF8_BOM, 0,
                    UTF8_BOM.length)) {
                from += UTF8_BOM.length;
            }
        }
        if (from == to) {
            dispatch();
            return;
        }
        if (line[from] == ':') {
            return;
        }
        int colon = from;
        while (colon < to && line[colon] != ':') {
            colon++;
        }
        int valueStart = colon;
        if (colon < to) {
            valueStart = colon + 1;
            if (valueStart < to && line[valueStart] == ' ') {
                valueStart++;
            }
        }
        if (isField(line, from, colon, DATA)) {
            String value = new String(line, valueStart, to - valueStart, StandardCharsets.UTF_8);
            if (data == null) {
                data = value;
            } else {
                if (moreData == null) {
                    moreData = new StringBuilder(data);
                }
                moreData.append('\n').append(value);
            }
        } else if (isField(line, from, colon, EVENT)) {
            eventName = new String(line, valueStart, to - valueStart, StandardCharsets.UTF_8);
        } else if (isField(line, from, colon, ID)) {
            String value = new String(line, valueStart, to - valueStart, StandardCharsets.UTF_8);
            if (value.indexOf('\0') < 0) {
                id = value;
            }
        }
        // "retry" and unknown fields carry nothing an interceptor needs.
    }

    private static boolean isField(byte[] line, int from, int to, byte[] name) {
        return to - from == name.length && Arrays.equals(line, from, to, name, 0, name.length);
    }

    private void dispatch() {
        if (data != null) {
            sink.accept(new SseEvent(eventName, moreData == null ? data : moreData.toString(), id));
        }
        data = null;
        moreData = null;
        eventName = null;
    }
}
