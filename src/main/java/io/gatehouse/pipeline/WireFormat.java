package io.gatehouse.pipeline;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;

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

    /**
     * Authenticates a request whose bytes are final, just before it is sent: for providers whose credential covers
     * the request itself (AWS SigV4 signs method, URL, headers and body). The others need only
     * {@link #applyCredential}, which has already run, so the default does nothing.
     *
     * @param url the absolute URL the request goes to
     */
    default void authorize(HttpMethod method, String url, MultiMap upstreamHeaders, Buffer body, Secret apiKey) {
    }

    /** A complete JSON error body in the provider's own shape. */
    Buffer errorBody(GatewayError error);

    /** One SSE event telling a streaming client, in the provider's shape, that the stream broke. */
    Buffer streamErrorEvent(GatewayError error);
}
