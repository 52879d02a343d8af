package io.gatehouse.provider.bedrock;

import io.vertx.core.buffer.Buffer;
import software.amazon.eventstream.Message;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.function.Predicate;

/**
 * Cuts an AWS event stream ({@code application/vnd.amazon.eventstream}) into its messages as the bytes arrive, in
 * chunks split anywhere. Each frame is: total length (4 bytes), headers length (4), prelude CRC32 (4), headers,
 * payload, message CRC32 (4); the library's {@link Message#decode} reads a whole frame and verifies both CRCs, so
 * this class only finds where frames end. (The library's own {@code MessageDecoder} would do that too, but
 * allocates a 2 MiB buffer per stream.) Whole frames are decoded straight from the chunk's bytes; only a frame
 * split across chunks is gathered, into a buffer of its exact size once its length is known. Not thread-safe: one
 * per stream.
 */
final class EventStreamFramer {
    private static final int LENGTH_FIELD = 4;
    private static final int MINIMUM_FRAME = 16;
    /** The largest frame the format allows: prelude and CRC, 128 KiB of headers and 24 MiB of payload. */
    private static final int MAXIMUM_FRAME = MINIMUM_FRAME + 128 * 1024 + 24 * 1024 * 1024;
    /** A gathering buffer past this size is dropped once its frame is decoded rather than kept for the stream. */
    private static final int KEPT_BUFFER = 64 * 1024;

    /** The start of a frame split across chunks, in {@code pending[0, pendingLength)}. */
    private byte[] pending = new byte[0];
    private int pendingLength;

    /**
     * Hands {@code sink} each message these bytes complete, in order, as soon as it is read; returns false when
     * the sink asked to stop.
     *
     * @throws IllegalArgumentException when a frame is malformed or fails its checksum, after the messages before
     *                                  it were handed over
     */
    boolean feed(Buffer chunk, Predicate<Message> sink) {
        byte[] bytes = chunk.getBytes();
        int offset = 0;
        while (pendingLength > 0 && offset < bytes.length) {
            int target = pendingLength < LENGTH_FIELD ? LENGTH_FIELD : frameLength(pending, 0);
            int taken = Math.min(target - pendingLength, bytes.length - offset);
            append(bytes, offset, taken, target);
            offset += taken;
            if (pendingLength == target && target > LENGTH_FIELD) {
                Message message = Message.decode(ByteBuffer.wrap(pending, 0, pendingLength));
                pendingLength = 0;
                if (pending.length > KEPT_BUFFER) {
                    pending = new byte[0];
                }
                if (!sink.test(message)) {
                    return false;
                }
            }
        }
        while (bytes.length - offset >= LENGTH_FIELD) {
            int length = frameLength(bytes, offset);
            if (bytes.length - offset < length) {
                break;
            }
            Message message = Message.decode(ByteBuffer.wrap(bytes, offset, length));
            offset += length;
            if (!sink.test(message)) {
                return false;
            }
        }
        if (offset < bytes.length) {
            int remaining = bytes.length - offset;
            append(bytes, offset, remaining, remaining >= LENGTH_FIELD ? frameLength(bytes, offset) : LENGTH_FIELD);
        }
        return true;
    }

    /** Whether the bytes so far end inside a frame. */
    boolean midFrame() {
        return pendingLength > 0;
    }

    private void append(byte[] bytes, int offset, int length, int capacity) {
        if (pending.length < capacity) {
            pending = Arrays.copyOf(pending, capacity);
        }
        System.arraycopy(bytes, offset, pending, pendingLength, length);
        pendingLength += length;
    }

    private static int frameLength(byte[] bytes, int offset) {
        int length = ByteBuffer.wrap(bytes, offset, LENGTH_FIELD).getInt();
        if (length < MINIMUM_FRAME || length > MAXIMUM_FRAME) {
            throw new IllegalArgumentException(
                    "Invalid event-stream frame length " + Integer.toUnsignedString(length));
        }
        return length;
    }
}
