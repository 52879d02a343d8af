package io.gatehouse.pipeline;

/**
 * A failure the gateway itself reports to the client, rendered by the route's {@link WireFormat}.
 * The message is shown to clients, so it must never hold a secret or a stack trace.
 */
public record GatewayError(ErrorKind kind, int status, String message, String code) {

    public GatewayError(ErrorKind kind, String message, String code) {
        this(kind, kind.status(), message, code);
    }

    public static GatewayError invalidRequest(String message) {
        return new GatewayError(ErrorKind.INVALID_REQUEST, message, "invalid_request");
    }

    public static GatewayError internal(String message) {
        return new GatewayError(ErrorKind.INTERNAL, message, "gateway_error");
    }
}
