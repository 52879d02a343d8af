package io.gatehouse.routing;

import io.gatehouse.pipeline.BodySource;
import io.gatehouse.pipeline.ErrorKind;
import io.gatehouse.pipeline.GatewayError;
import io.gatehouse.pipeline.GatewayException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

import java.time.Duration;

/**
 * Reads a whole upstream body, for the answers that are translated whole (plain JSON and errors). Bounded in size,
 * and in time between chunks by the upstream's idle timeout, like a body streamed to the client.
 */
final class BodyCollector {
    /** Far above any chat completion; a body this large is not an answer the gateway should hold. */
    static final int MAX_BYTES = 64 * 1024 * 1024;

    private BodyCollector() {
    }

    static Future<Buffer> collect(Vertx vertx, BodySource source, Duration idleTimeout, String upstreamName) {
        Promise<Buffer> promise = Promise.promise();
        Buffer body = Buffer.buffer();
        long idleMillis = Math.max(1, idleTimeout.toMillis());
        long[] lastChunk = {System.nanoTime()};
        long[] timer = {-1};
        Runnable[] arm = new Runnable[1];
        arm[0] = () -> timer[0] = vertx.setTimer(idleMillis, id -> {
            long idle = (System.nanoTime() - lastChunk[0]) / 1_000_000;
            if (promise.future().isComplete()) {
                return;
            }
            if (idle >= idleMillis) {
                source.cancel();
                promise.tryFail(new GatewayException(new GatewayError(ErrorKind.UPSTREAM_TIMEOUT, "Upstream '"
                        + upstreamName + "' stopped sending its response", "upstream_idle_timeout")));
            } else {
                arm[0].run();
            }
        });
        arm[0].run();
        source.start(new BodySource.BodySink() {
            @Override
            public void chunk(Buffer chunk) {
                lastChunk[0] = System.nanoTime();
                if (body.length() + chunk.length() > MAX_BYTES) {
                    source.cancel();
                    vertx.cancelTimer(timer[0]);
                    promise.tryFail(new GatewayException(new GatewayError(ErrorKind.UPSTREAM_BROKEN, "Upstream '"
                            + upstreamName + "' answered with more than " + MAX_BYTES + " bytes", "upstream_response_too_large")));
                    return;
                }
                body.appendBuffer(chunk);
            }

            @Override
            public void end() {
                vertx.cancelTimer(timer[0]);
                promise.tryComplete(body);
            }

            @Override
            public void error(Throwable failure) {
                vertx.cancelTimer(timer[0]);
                promise.tryFail(failure);
            }
        });
        return promise.future();
    }
}
