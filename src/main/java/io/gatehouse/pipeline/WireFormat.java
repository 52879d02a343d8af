package io.gatehouse.pipeline;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

import java.util.List;

/**
 * How one provider's API speaks on the wire, as far as the gateway itself has to talk in it: where the
 * credential goes and what an error looks like, in a plain body and inside an event stream.
 */
public interface WireFormat {

    /** The provider type as written in config: {@code openai}, {@code anthropic}. */
    String type();

    /** Request headers that may carry a client's credential for this provider. */
    List<String> credentialHeaders();

    /** Puts the gateway's own key for this provider on an upstream request. */
    void applyCredential(MultiMap upstreamHeaders, Secret apiKey);

    /** A complete JSON error body in the provider's own shape. */
    Buffer errorBody(GatewayError error);

    /** One SSE event telling a streaming client, in the provider's shape, that the stream broke. */
    Buffer streamErrorEvent(GatewayError error);
}
