package io.gatehouse.proxy;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.RequestOptions;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fronts an HTTP/2 upstream client so that calls to an upstream with no open connection wait while one of them opens
 * the first, instead of each opening its own. Vert.x's pool opens a connection for every waiting call until one has
 * connected and said how many calls it takes; a burst after a quiet spell (idle connections close after 30 s) would
 * open as many connections as calls, each then carrying one call where one could carry a hundred. Calls beyond what
 * the open connections take are left to the pool, which opens more as needed. A connection stops counting as open
 * when the upstream says GOAWAY, as it does when it shuts down for a deploy, not only when it closes.
 */
final class Http2ConnectGate {
    private final HttpClient client;
    private final Map<String, Address> addresses = new ConcurrentHashMap<>();

    Http2ConnectGate(HttpClient client) {
        this.client = client;
    }

    Future<HttpClientRequest> request(RequestOptions options) {
        Address address = addresses.computeIfAbsent(options.getHost() + ':' + options.getPort() + ':' + options.isSsl(),
                key -> new Address());
        return address.request(options);
    }

    /** One upstream address: its connections known to be open, and the calls waiting for a first one. */
    private final class Address {
        private final List<HttpConnection> open = new ArrayList<>(1);
        /** Calls waiting while a first connection opens; null when none is being opened. */
        private List<Waiting> waiting;

        Future<HttpClientRequest> request(RequestOptions options) {
            boolean opens;
            synchronized (this) {
                opens = open.isEmpty();
                if (opens) {
                    if (waiting != null) {
                        Waiting call = new Waiting(options, Promise.promise());
                        waiting.add(call);
                        return call.result.future();
                    }
                    waiting = new ArrayList<>();
                }
            }
            // Vert.x is called outside the lock: a connect that fails at once completes the future right here.
            return client.request(options).andThen(opens ? this::opened : this::remember);
        }

        private void opened(AsyncResult<HttpClientRequest> first) {
            remember(first);
            List<Waiting> released;
            synchronized (this) {
                released = waiting;
                waiting = null;
            }
            for (Waiting call : released) {
                if (first.succeeded()) {
                    client.request(call.options).andThen(this::remember).onComplete(call.result);
                } else {
                    // The upstream could not be reached a moment ago: these calls fail with that rather than each
                    // trying again at once (retries, where configured, come back through this gate one at a time).
                    call.result.fail(first.cause());
                }
            }
        }

        private void remember(AsyncResult<HttpClientRequest> leased) {
            if (leased.failed()) {
                return;
            }
            HttpConnection connection = leased.result().connection();
            synchronized (this) {
                if (open.contains(connection)) {
                    return;
                }
                open.add(connection);
            }
            // A GOAWAY comes before the close, often long before it while the connection's last calls finish: from
            // then on it takes no new call, so a burst must wait for a new connection rather than count on it.
            connection.goAwayHandler(goAway -> forget(connection));
            connection.closeHandler(closed -> forget(connection));
        }

        private synchronized void forget(HttpConnection connection) {
            open.remove(connection);
        }
    }

    private record Waiting(RequestOptions options, Promise<HttpClientRequest> result) {
    }
}
