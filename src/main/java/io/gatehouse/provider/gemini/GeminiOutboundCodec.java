package io.gatehouse.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.pipeline.GatewayError;
import io.gatehouse.provider.translate.EncodedRequest;
import io.gatehouse.provider.translate.OutboundCodec;
import io.gatehouse.provider.translate.StreamDecoder;
import io.gatehouse.provider.translate.UnifiedRequest;
import io.gatehouse.provider.translate.UnifiedResponse;
import io.vertx.core.buffer.Buffer;

/**
 * Google's Gemini API ({@code generateContent} and {@code streamGenerateContent}) as a translation target. Requests
 * are written by {@link GeminiRequestEncoder}, answers read by {@link GeminiResponseDecoder} and, streamed, by
 * {@link GeminiStreamDecoder}. Holds no state: one instance serves every call.
 */
public final class GeminiOutboundCodec implements OutboundCodec {

    /**
     * Whether a thinking block's signature is one of Gemini's, as this gateway shows them to clients (see
     * {@link ThoughtSignatures}). Only Gemini can verify it: other providers' codecs leave such thinking out, since
     * its signature would fail their call.
     */
    public static boolean signedByGemini(String signature) {
        return ThoughtSignatures.nativeOf(signature) != null;
    }

    @Override
    public String type() {
        return GeminiFormat.INSTANCE.type();
    }

    @Override
    public EncodedRequest encodeRequest(UnifiedRequest request) {
        return GeminiRequestEncoder.encode(request);
    }

    @Override
    public UnifiedResponse decodeResponse(JsonNode body) {
        return GeminiResponseDecoder.decode(body);
    }

    @Override
    public StreamDecoder streamDecoder() {
        return new GeminiStreamDecoder();
    }

    @Override
    public GatewayError decodeError(int status, Buffer body) {
        return GeminiErrors.fromBody(status, body);
    }
}
