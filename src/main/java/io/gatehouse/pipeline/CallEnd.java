package io.gatehouse.pipeline;

/**
 * The end of a call, as every interceptor that saw it is told.
 *
 * @param request  the client's request as the chain first saw it, or null when it never entered the chain; without
 *                 its body bytes ({@link ProxyRequest#withoutBody()}) once a response had begun, its JSON kept
 * @param status   the status sent to the client, or 0 when none was sent
 * @param failure  what went wrong, when the outcome is not {@link CallOutcome#COMPLETED}
 * @param response the response that was being written, or null when none came back
 * @param bytesOut body bytes written to the client
 */
public record CallEnd(
        Call call,
        CallOutcome outcome,
        int status,
        GatewayError failure,
        ProxyRequest request,
        ProxyResponse response,
        long bytesOut,
        long durationNanos) {
}
