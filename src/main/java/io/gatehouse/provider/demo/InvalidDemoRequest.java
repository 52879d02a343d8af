package io.gatehouse.provider.demo;

/** A client mistake in a request body, answered with 400 in the calling provider's error shape. */
final class InvalidDemoRequest extends RuntimeException {
    private final String param;

    InvalidDemoRequest(String message, String param) {
        super(message, null, false, false);
        this.param = param;
    }

    /** The offending request field, or null when the whole body is at fault. */
    String param() {
        return param;
    }
}
