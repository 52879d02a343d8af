package io.gatehouse.pipeline;

import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Incremental SSE parser. It reads the chunks as they pass, copies each chunk's bytes out once (scanning a
 * byte array is several times faster than reading a Netty buffer byte by byte, with its bounds and reference
 * checks), decodes each line from them into a String, and keeps only an unfinished line between chunks.
 * Follows the WHATWG rules: CR, LF or CRLF line ends, a blank line ends an event, lines starting with
 * a colon are comments, one space after the colon is dropped, an event with no data is not dispatched.
 * Not thread-safe: one parser per stream.
 */
public final class SseParser {
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
            Buffer line = partialLine;
            partialLine = null;
            processLine(line.toString(StandardCharsets.UTF_8));
        }
        dispatch();
    }

    private void endLine(byte[] bytes, int from, int to) {
        String line;
        if (partialLine != null) {
            line = partialLine.appendBytes(bytes, from, to - from).toString(StandardCharsets.UTF_8);
            partialLine = null;
        } else {
            line = new String(bytes, from, to - from, StandardCharsets.UTF_8);
        }
        if (line.isEmpty()) {
            dispatch();
        } else {
            processLine(line);
        }
    }

    private void processLine(String line) {
        if (!bomChecked) {
            bomChecked = true;
            if (!line.isEmpty() && line.charAt(0) == '\uFEFF') {
                line = line.substring(1);
            }
        }
        if (line.isEmpty() || line.charAt(0) == ':') {
            return;
        }
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = "";
        if (colon >= 0) {
            int start = colon + 1;
            if (start < line.length() && line.charAt(start) == ' ') {
                start++;
            }
            value = line.substring(start);
        }
        switch (field) {
            case "data" -> {
                if (data == null) {
                    data = value;
                } else {
                    if (moreData == null) {
                        moreData = new StringBuilder(data);
                    }
                    moreData.append('\n').append(value);
                }
            }
            case "event" -> eventName = value;
            case "id" -> {
                if (value.indexOf('\0') < 0) {
                    id = value;
                }
            }
            default -> {
                // "retry" and unknown fields carry nothing an interceptor needs.
            }
        }
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
