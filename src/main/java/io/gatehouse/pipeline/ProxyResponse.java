package io.gatehouse.pipeline;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/**
 * A response on its way back to the client: status and headers, which interceptors may change until
 * the chain completes, and a body that is streamed, never held whole, through the stages interceptors
 * add with {@link #observeChunks}, {@link #transformChunks} and {@link #observeEvents}.
 */
public final class ProxyResponse {
    private int status;
    private final MultiMap headers;
    private final BodySource body;
    private final BodyPipeline pipeline = new BodyPipeline();

    private ProxyResponse(int status, MultiMap headers, BodySource body) {
        this.status = status;
        this.headers = headers;
        this.body = body;
    }

    /** A response that streams from the upstream. */
    public static ProxyResponse fromUpstream(int status, MultiMap headers, BodySource body) {
        return new ProxyResponse(status, headers, body);
    }

    /** A response an interceptor answers with itself. */
    public static ProxyResponse of(int status, MultiMap headers, Buffer body) {
        return new ProxyResponse(status, headers, BodySource.of(body));
    }

    /** A JSON response an interceptor answers with itself. */
    public static ProxyResponse json(int status, Buffer body) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().set("content-type", "application/json");
        return of(status, headers, body);
    }

    /** An error in the shape of the provider the client is talking to. */
    public static ProxyResponse error(WireFormat format, GatewayError error) {
        return json(error.status(), format.errorBody(error));
    }

    public int status() {
        return status;
    }

    public ProxyResponse status(int status) {
        this.status = status;
        return this;
    }

    /** The response headers; change them freely until the chain has completed. */
    public MultiMap headers() {
        return headers;
    }

    public BodySource body() {
        return body;
    }

    public BodyPipeline pipeline() {
        return pipeline;
    }

    public boolean isEventStream() {
        String type = headers.get("content-type");
        return type != null && type.regionMatches(true, 0, "text/event-stream", 0, 17);
    }

    public ProxyResponse observeChunks(ChunkObserver observer) {
        pipeline.addObserver(observer);
        return this;
    }

    public ProxyResponse transformChunks(ChunkTransformer transformer) {
        pipeline.addTransformer(transformer);
        return this;
    }

    /** Parses the body as SSE, once however many listeners there are, and hands them each event. */
    public ProxyResponse observeEvents(SseListener listener) {
        pipeline.addSseListener(listener);
        return this;
    }
}
