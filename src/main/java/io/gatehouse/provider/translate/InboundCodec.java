package io.gatehouse.provider.translate;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.pipeline.GatewayError;
import io.gatehouse.pipeline.WireFormat;
import io.vertx.core.buffer.Buffer;

/** Reads one client API into the unified shape and writes answers back in it. Stateless and thread-safe. */
public interface InboundCodec {

    InboundApi api();

    /** The wire format errors go back to the client in. */
    WireFormat format();

    /**
     * The client's request body in the unified shape.
     *
     * @throws io.gatehouse.pipeline.GatewayException a 400 in the client's error shape when the body is not a valid
     *                                                request of this API
     * @throws io.gatehouse.pipeline.GatewayException also (see {@link UnsupportedFeature}) when it asks for something the unified shape cannot carry
     */
    UnifiedRequest decodeRequest(JsonNode body);

    /** A complete answer as this API's response body. */
    JsonNode encodeResponse(UnifiedResponse response);

    /**
     * A complete answer to {@code request}. It names the model that gave it, or, when the provider names none
     * (Bedrock's Converse), the one the call asked for: the SDKs require the field. APIs whose responses echo more of
     * the request's settings (Responses) override this.
     */
    default JsonNode encodeResponse(UnifiedResponse response, UnifiedRequest request) {
        return encodeResponse(response.model() != null ? response : response.withModel(request.model()));
    }

    /** A new encoder for one streamed answer to {@code request}. */
    StreamEncoder streamEncoder(UnifiedRequest request);

    /** An error as this API's error body (status goes on the response as {@link GatewayError#status()}). */
    default Buffer encodeError(GatewayError error) {
        return format().errorBody(error);
    }
}
