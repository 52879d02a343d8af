package io.gatehouse.replay;

/** The input cannot be replayed at all (missing, unreadable, no recording in it); the message says why. */
public final class RecordingException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    RecordingException(String message) {
        super(message);
    }
}
