package io.gatehouse.provider.gemini;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.pipeline.ErrorKind;
import io.gatehouse.pipeline.GatewayError;
import io.gatehouse.pipeline.Json;
import io.gatehouse.pipeline.Secret;
import io.gatehouse.pipeline.WireFormat;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

import java.util.List;

/** Google's Gemini API (generativelanguage.googleapis.com) wire format. */
public final class GeminiFormat implements WireFormat {
    public static final GeminiFormat INSTANCE = new GeminiFormat();

    private GeminiFormat() {
    }

    @Override
    public String type() {
        return "gemini";
    }

    @Override
    public List<String> credentialHeaders() {
        return List.of("x-goog-api-key", "authorization");
    }

    @Override
    public void applyCredential(MultiMap upstreamHeaders, Secret apiKey) {
        upstreamHeaders.set("x-goog-api-key", apiKey.reveal());
    }

    @Override
    public Buffer errorBody(GatewayError error) {
        return Buffer.buffer(Json.write(errorObject(error)));
    }

    /** Gemini streams carry no event names: an error is a {@code data:} frame holding the error body. */
    @Override
    public Buffer streamErrorEvent(GatewayError error) {
        return Buffer.buffer("data: ").appendBytes(Json.write(errorObject(error))).appendString("\r\n\r\n");
    }

    /** {@code {"error":{"code","message","status"}}}: Google's API error shape, as the Gemini SDKs parse it. */
    private static ObjectNode errorObject(GatewayError error) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        ObjectNode body = root.putObject("error");
        body.put("code", error.status());
        body.put("message", error.message());
        body.put("status", statusOf(error.kind()));
        return root;
    }

    /** Google's canonical status name for a kind of failure. */
    static String statusOf(ErrorKind kind) {
        return switch (kind) {
            case INVALID_REQUEST, REQUEST_TOO_LARGE -> "INVALID_ARGUMENT";
            case AUTHENTICATION -> "UNAUTHENTICATED";
            case PERMISSION -> "PERMISSION_DENIED";
            case NOT_FOUND -> "NOT_FOUND";
            case RATE_LIMIT, RATE_LIMIT_EXCEEDED, BUDGET_EXCEEDED -> "RESOURCE_EXHAUSTED";
            case INTERNAL -> "INTERNAL";
            case UPSTREAM_UNREACHABLE, UPSTREAM_BROKEN -> "UNAVAILABLE";
            case UPSTREAM_TIMEOUT -> "DEADLINE_EXCEEDED";
        };
    }
}
