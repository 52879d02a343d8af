package io.gatehouse.proxy;

import io.netty.handler.flush.FlushConsolidationHandler;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.impl.ConnectionBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Batches the socket writes of an HTTP/2 upstream connection. Vert.x flushes each call's request as soon as it is
 * written, one {@code writev} per call, although the calls that arrive in one turn of the event loop share the
 * connection. Deferring the flush to the end of that turn sends them in one write: the calls wait microseconds, the
 * gateway saves a system call per call.
 */
final class FlushBatching {
    private static final Logger LOG = LoggerFactory.getLogger(FlushBatching.class);
    private static final AtomicBoolean WARNED = new AtomicBoolean();
    /** Flushes at once after this many deferred ones, so a long burst is not held back until its turn ends. */
    private static final int MOST_DEFERRED_FLUSHES = 64;

    private FlushBatching() {
    }

    static void install(HttpConnection connection) {
        if (connection.protocolVersion() != HttpVersion.HTTP_2) {
            return;
        }
        // The channel is reached through a Vert.x class outside its public API; should a Vert.x upgrade change it,
        // calls still go through, only unbatched, and the log says so once.
        if (!(connection instanceof ConnectionBase base)) {
            if (WARNED.compareAndSet(false, true)) {
                LOG.warn("HTTP/2 upstream writes are not batched: {} does not expose its channel",
                        connection.getClass().getName());
            }
            return;
        }
        // Placed next to the HTTP/2 handler on the socket's side: frames are still built and flow-controlled when
        // written, only the flush to the socket waits.
        base.channel().pipeline().addBefore(base.channelHandlerContext().name(), "gatehouse-flush-batching",
                new FlushConsolidationHandler(MOST_DEFERRED_FLUSHES, true));
    }
}
