package io.gatehouse.pipeline;

/** Fails a call's future with an error meant for the client. */
public final class GatewayException extends RuntimeException {
    private final transient GatewayError error;

    public GatewayException(GatewayError error) {
        super(error.message(), null, false, false);
        this.error = error;
    }

    public GatewayException(GatewayError error, Throwable cause) {
        super(error.message(), cause, false, false);
        this.error = error;
    }

    public GatewayError error() {
        return error;
    }
}
