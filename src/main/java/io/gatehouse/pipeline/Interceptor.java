package io.gatehouse.pipeline;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;

/**
 * One step of the request path. An interceptor may inspect or rewrite the request, answer it without
 * calling upstream (return a response of its own instead of calling {@link Chain#proceed}), and wrap the
 * response it gets back to observe or transform each chunk of the body.
 *
 * <p>One instance serves every request on every event loop, so implementations must be thread-safe and
 * must never block: anything slow goes to a worker or a bounded queue.
 */
public interface Interceptor {

    /** A short stable name, used in logs and metrics. */
    String name();

    Future<ProxyResponse> intercept(Chain chain);

    /**
     * Called for every request as soon as its head has arrived, before the body is read and before any
     * {@link #intercept}, on the call's event loop. It is the place for {@link Call#responseHeaders()} that every
     * answer must carry, including the refusals the gateway makes before the chain runs (body too large, malformed
     * JSON), which no {@code intercept} sees. Must be cheap: it runs even for requests that are refused at once.
     *
     * @param path the path to forward, provider prefix removed
     */
    default void onRequestHead(Call call, HttpMethod method, String path, MultiMap headers, Upstream upstream) {
    }

    /**
     * Called exactly once for every call whose {@link #intercept} ran, after the last byte went to the
     * client, or when the call failed or the client went away. Runs on the call's event loop.
     */
    default void onCallEnd(CallEnd end) {
    }
}
