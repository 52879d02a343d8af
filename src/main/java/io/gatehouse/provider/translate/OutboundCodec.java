package io.gatehouse.provider.translate;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.pipeline.GatewayError;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/**
 * Writes the unified shape as one provider's request and reads its answers. One instance per configured provider
 * (it may hold that provider's settings, such as Azure's api-version); stateless otherwise and thread-safe.
 */
public interface OutboundCodec {

    /** The provider type it speaks, as written in config ({@code anthropic}, {@code gemini}…). */
    String type();

    /** The provider's request for {@code request}, whose model is the provider's own name for it. */
    EncodedRequest encodeRequest(UnifiedRequest request);

    /** A complete (non-streamed) successful response body. */
    UnifiedResponse decodeResponse(JsonNode body);

    /** A new decoder for one streamed response body. */
    StreamDecoder streamDecoder();

    /**
     * A new decoder for one streamed response that may read what the response's headers say about it; by default
     * they say nothing a decoder needs (Bedrock's name the response, which its stream does not).
     */
    default StreamDecoder streamDecoder(MultiMap responseHeaders) {
        return streamDecoder();
    }

    /** An error response of the provider's, as the gateway's error, keeping the status and the provider's message. */
    GatewayError decodeError(int status, Buffer body);

    /**
     * As {@link #decodeError(int, Buffer)}, for a provider that puts part of its error in headers (Bedrock's
     * {@code x-amzn-ErrorType}); by default the headers are not read.
     */
    default GatewayError decodeError(int status, MultiMap responseHeaders, Buffer body) {
        return decodeError(status, body);
    }
}
