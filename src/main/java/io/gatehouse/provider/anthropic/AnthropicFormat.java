package io.gatehouse.provider.anthropic;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.pipeline.GatewayError;
import io.gatehouse.pipeline.Json;
import io.gatehouse.pipeline.Secret;
import io.gatehouse.pipeline.WireFormat;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

import java.util.List;

/** Anthropic's Messages API wire format. */
public final class AnthropicFormat implements WireFormat {
    public static final AnthropicFormat INSTANCE = new AnthropicFormat();

    private AnthropicFormat() {
    }

    @Override
    public String type() {
        return "anthropic";
    }

    @Override
    public List<String> credentialHeaders() {
        return List.of("x-api-key", "authorization");
    }

    @Override
    public void applyCredential(MultiMap upstreamHeaders, Secret apiKey) {
        upstreamHeaders.set("x-api-key", apiKey.reveal());
    }

    @Override
    public Buffer errorBody(GatewayError error) {
        return Buffer.buffer(Json.write(errorObject(error)));
    }

    @Override
    public Buffer streamErrorEvent(GatewayError error) {
        return Buffer.buffer("event: error\ndata: ").appendBytes(Json.write(errorObject(error))).appendString("\n\n");
    }

    /** {@code {"type":"error","error":{"type","message"}}}, with Anthropic's documented error types. */
    private static ObjectNode errorObject(GatewayError error) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("type", "error");
        ObjectNode body = root.putObject("error");
        body.put("type", typeOf(error));
        body.put("message", error.message());
        return root;
    }

    private static String typeOf(GatewayError error) {
        return switch (error.kind()) {
            case INVALID_REQUEST -> "invalid_request_error";
            case AUTHENTICATION -> "authentication_error";
            case PERMISSION -> "permission_error";
            case NOT_FOUND -> "not_found_error";
            case REQUEST_TOO_LARGE -> "request_too_large";
            // Anthropic has one documented type for 429; the message says which limit refused.
            case RATE_LIMIT, RATE_LIMIT_EXCEEDED, BUDGET_EXCEEDED -> "rate_limit_error";
            case INTERNAL, UPSTREAM_UNREACHABLE, UPSTREAM_BROKEN -> "api_error";
            case UPSTREAM_TIMEOUT -> "timeout_error";
        };
    }
}
