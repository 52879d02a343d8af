package io.gatehouse.provider.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.pipeline.GatewayError;
import io.gatehouse.pipeline.Json;
import io.gatehouse.provider.translate.EncodedRequest;
import io.gatehouse.provider.translate.OutboundCodec;
import io.gatehouse.provider.translate.StreamDecoder;
import io.gatehouse.provider.translate.UnifiedRequest;
import io.gatehouse.provider.translate.UnifiedResponse;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;

/**
 * AWS Bedrock's Converse API as a translation target: {@code POST /model/{modelId}/converse}, or
 * {@code /converse-stream} for a streamed answer in AWS event-stream frames. The model id is URL-encoded into the
 * path, so a foundation model ({@code anthropic.claude-3-5-sonnet-20241022-v2:0}), an inference profile or an ARN
 * all work. Signing the request is not the codec's part: {@link BedrockFormat#sign} does it on the final bytes.
 * Stateless and thread-safe.
 */
public final class BedrockOutboundCodec implements OutboundCodec {
    /** The id streamed answers carry when the caller has none to give: Converse streams name no response. */
    static final String STREAM_ID = "bedrock-stream";
    private static final String REQUEST_ID = "x-amzn-RequestId";
    private static final String ERROR_TYPE = "x-amzn-ErrorType";

    @Override
    public String type() {
        return BedrockFormat.TYPE;
    }

    /**
     * The Converse request.
     *
     * @throws io.gatehouse.pipeline.GatewayException a 400 naming the field when the request is invalid, or
     *                                                {@link io.gatehouse.provider.translate.UnsupportedFeature}'s
     *                                                when it asks for what Converse cannot do
     */
    @Override
    public EncodedRequest encodeRequest(UnifiedRequest request) {
        return ConverseRequestEncoder.encode(request);
    }

    /** See {@link ConverseResponseDecoder#decode}: the id is derived from the body, the model is null. */
    @Override
    public UnifiedResponse decodeResponse(JsonNode body) {
        return ConverseResponseDecoder.decode(body);
    }

    @Override
    public StreamDecoder streamDecoder() {
        return new ConverseStreamDecoder(STREAM_ID);
    }

    /**
     * A decoder whose {@link io.gatehouse.provider.translate.StreamEvent.Start} carries the response's
     * {@code x-amzn-RequestId}, since the stream itself names none: each answer gets its own id.
     */
    @Override
    public StreamDecoder streamDecoder(MultiMap responseHeaders) {
        String requestId = responseHeaders.get(REQUEST_ID);
        return streamDecoder(requestId == null || requestId.isBlank() ? STREAM_ID : requestId);
    }

    /** A decoder whose {@link io.gatehouse.provider.translate.StreamEvent.Start} carries {@code responseId}. */
    StreamDecoder streamDecoder(String responseId) {
        return new ConverseStreamDecoder(responseId);
    }

    /**
     * Bedrock's {@code {"message": "..."}} error, with its status. The error type travels in the
     * {@code x-amzn-ErrorType} header, which this method does not see; a {@code __type} in the body is read when
     * present, otherwise the status decides.
     */
    @Override
    public GatewayError decodeError(int status, Buffer body) {
        return decodeError(status, (String) null, body);
    }

    /** As {@link #decodeError(int, Buffer)}, with the type the {@code x-amzn-ErrorType} header gives. */
    @Override
    public GatewayError decodeError(int status, MultiMap responseHeaders, Buffer body) {
        return decodeError(status, responseHeaders.get(ERROR_TYPE), body);
    }

    GatewayError decodeError(int status, String errorType, Buffer body) {
        JsonNode json = null;
        try {
            json = body == null || body.length() == 0 ? null : Json.MAPPER.readTree(body.getBytes());
        } catch (IOException e) {
            // Not JSON (a proxy's HTML page…): reported by status alone.
        }
        String message = null;
        String type = errorType;
        if (json != null && json.isObject()) {
            JsonNode text = json.has("message") ? json.get("message") : json.get("Message");
            message = text == null || text.isNull() ? null : text.asText();
            if (type == null && json.hasNonNull("__type")) {
                type = json.get("__type").asText();
            }
        }
        if (message == null) {
            message = "Bedrock answered with status " + status;
        }
        return BedrockErrors.toGateway(status, type, message);
    }
}
