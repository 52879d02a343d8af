package io.gatehouse.provider.openai;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.pipeline.GatewayError;
import io.gatehouse.pipeline.Json;
import io.gatehouse.pipeline.Secret;
import io.gatehouse.pipeline.WireFormat;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

import java.util.List;

/** OpenAI's wire format, also spoken by Ollama, vLLM and every OpenAI-compatible server. */
public final class OpenAiFormat implements WireFormat {
    public static final OpenAiFormat INSTANCE = new OpenAiFormat();

    private OpenAiFormat() {
    }

    @Override
    public String type() {
        return "openai";
    }

    @Override
    public List<String> credentialHeaders() {
        return List.of("authorization", "x-api-key", "api-key");
    }

    @Override
    public void applyCredential(MultiMap upstreamHeaders, Secret apiKey) {
        upstreamHeaders.set("authorization", "Bearer " + apiKey.reveal());
    }

    @Override
    public Buffer errorBody(GatewayError error) {
        return Buffer.buffer(Json.write(errorObject(error)));
    }

    @Override
    public Buffer streamErrorEvent(GatewayError error) {
        return Buffer.buffer("data: ").appendBytes(Json.write(errorObject(error))).appendString("\n\n");
    }

    /** {@code {"error":{"message","type","param","code"}}}, as the OpenAI SDKs parse it. */
    private static ObjectNode errorObject(GatewayError error) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        ObjectNode body = root.putObject("error");
        body.put("message", error.message());
        body.put("type", typeOf(error));
        body.putNull("param");
        if (error.code() == null) {
            body.putNull("code");
        } else {
            body.put("code", error.code());
        }
        return root;
    }

    private static String typeOf(GatewayError error) {
        return switch (error.kind()) {
            case INVALID_REQUEST, REQUEST_TOO_LARGE -> "invalid_request_error";
            case AUTHENTICATION -> "authentication_error";
            case PERMISSION -> "permission_error";
            case NOT_FOUND -> "not_found_error";
            case RATE_LIMIT -> "rate_limit_error";
            // SLLMP's types for its limits, which its clients tell apart.
            case RATE_LIMIT_EXCEEDED -> "rate_limit_exceeded";
            case BUDGET_EXCEEDED -> "budget_exceeded";
            case INTERNAL -> "server_error";
            case UPSTREAM_UNREACHABLE, UPSTREAM_BROKEN -> "upstream_error";
            case UPSTREAM_TIMEOUT -> "timeout_error";
        };
    }
}
