package io.gatehouse.testing;

import io.gatehouse.provider.demo.DemoUpstream;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.SelfSignedCertificate;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A scriptable upstream provider for end-to-end tests: answers like {@link DemoUpstream} (or a fake of another
 * provider's API) unless a route is overridden, records every request, and tracks connections so tests can see the
 * gateway hang up on it.
 */
public final class FakeUpstream implements AutoCloseable {

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(10);

    /** One request as it reached the upstream, with its complete body and the HTTP version it came over. */
    public record RecordedRequest(String method, String path, String query, MultiMap headers, Buffer body,
                                  HttpVersion version) {

        public String bodyAsString() {
            return body.toString(StandardCharsets.UTF_8);
        }

        public JsonObject bodyAsJson() {
            return body.toJsonObject();
        }

        public String header(String name) {
            return headers.get(name);
        }
    }

    private final Vertx vertx;
    private volatile HttpServer server;
    private volatile Handler<HttpServerRequest> answerer;
    private final Map<String, Handler<HttpServerRequest>> overrides = new ConcurrentHashMap<>();
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private final BlockingQueue<RecordedRequest> untaken = new LinkedBlockingQueue<>();
    private final Map<RecordedRequest, CompletableFuture<Void>> closures =
            Collections.synchronizedMap(new IdentityHashMap<>());
    private final Map<HttpConnection, List<CompletableFuture<Void>>> closuresByConnection = new ConcurrentHashMap<>();
    private final Set<HttpConnection> openConnections = ConcurrentHashMap.newKeySet();
    private final AtomicInteger acceptedConnections = new AtomicInteger();

    private FakeUpstream(Vertx vertx, Handler<HttpServerRequest> answerer) {
        this.vertx = vertx;
        this.answerer = answerer;
    }

    /** Starts on 127.0.0.1 with an ephemeral port and blocks until it listens. */
    public static FakeUpstream start(Vertx vertx) {
        return start(vertx, DemoUpstream.Options.defaults());
    }

    public static FakeUpstream start(Vertx vertx, DemoUpstream.Options options) {
        return start(vertx, DemoUpstream.handler(vertx, options));
    }

    /**
     * Starts like {@link #start(Vertx)}, answering every route that is not overridden with {@code answerer} instead
     * of the demo behaviour: how the fakes of other providers ({@link FakeGemini}, {@link FakeBedrock}) get recorded.
     */
    public static FakeUpstream start(Vertx vertx, Handler<HttpServerRequest> answerer) {
        // HTTP/1.1 only: an h2c upgrade would multiplex requests and blur what closing "the" connection means.
        return start(vertx, answerer, new HttpServerOptions().setHttp2ClearTextEnabled(false));
    }

    /**
     * Starts like {@link #start(Vertx)}, also speaking HTTP/2 over plain TCP (prior knowledge or upgrade) and
     * allowing {@code maxConcurrentStreams} calls at once on each connection.
     */
    public static FakeUpstream startHttp2(Vertx vertx, int maxConcurrentStreams) {
        return startHttp2(vertx, maxConcurrentStreams, 0);
    }

    /** Starts like {@link #startHttp2(Vertx, int)} on this port, e.g. one an earlier upstream used before it closed. */
    public static FakeUpstream startHttp2(Vertx vertx, int maxConcurrentStreams, int port) {
        return start(vertx, DemoUpstream.handler(vertx, DemoUpstream.Options.defaults()), new HttpServerOptions()
                .setHttp2ClearTextEnabled(true)
                .setInitialSettings(new Http2Settings().setMaxConcurrentStreams(maxConcurrentStreams)), port);
    }

    /**
     * Starts like {@link #start(Vertx)} over https with this certificate (for {@code localhost}), offering HTTP/2 and
     * HTTP/1.1 by ALPN; {@link #httpsBaseUrl()} is its address.
     */
    public static FakeUpstream startTls(Vertx vertx, SelfSignedCertificate certificate) {
        return start(vertx, DemoUpstream.handler(vertx, DemoUpstream.Options.defaults()), new HttpServerOptions()
                .setSsl(true)
                .setUseAlpn(true)
                .setKeyCertOptions(certificate.keyCertOptions()));
    }

    private static FakeUpstream start(Vertx vertx, Handler<HttpServerRequest> answerer, HttpServerOptions options) {
        return start(vertx, answerer, options, 0);
    }

    private static FakeUpstream start(Vertx vertx, Handler<HttpServerRequest> answerer, HttpServerOptions options,
                                      int port) {
        FakeUpstream upstream = new FakeUpstream(vertx, answerer);
        upstream.server = await(vertx.createHttpServer(options)
                .connectionHandler(upstream::track)
                .requestHandler(upstream::handle)
                .listen(port, "127.0.0.1"), STARTUP_TIMEOUT);
        return upstream;
    }

    public int port() {
        return server.actualPort();
    }

    /** {@code https://localhost:PORT}, the address of a {@link #startTls} upstream its certificate names. */
    public String httpsBaseUrl() {
        return "https://localhost:" + port();
    }

    /** {@code http://127.0.0.1:PORT}, without a trailing slash or API version. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    @Override
    public void close() {
        await(server.close(), STARTUP_TIMEOUT);
    }

    // ---- scripting ----

    /** Answers {@code method path} (exact path, query ignored) with the handler instead of the demo behaviour. */
    public FakeUpstream on(String method, String path, Handler<HttpServerRequest> handler) {
        overrides.put(routeKey(method, path), handler);
        return this;
    }

    /** Drops every override, so all routes answer like the demo upstream again. */
    public FakeUpstream clearOverrides() {
        overrides.clear();
        return this;
    }

    /** Replaces the demo behaviour's options (delay between streamed events, required key). */
    public void setOptions(DemoUpstream.Options options) {
        answerer = DemoUpstream.handler(vertx, options);
    }

    // ---- recorded requests ----

    /** Every request received so far, oldest first. */
    public List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    public RecordedRequest lastRequest() {
        return requests.isEmpty() ? null : requests.getLast();
    }

    /** The oldest request not taken yet, waiting up to {@code timeout} for one; null when none came. */
    public RecordedRequest takeRequest(Duration timeout) {
        try {
            return untaken.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for a request", e);
        }
    }

    public RecordedRequest takeRequest() {
        return takeRequest(Duration.ofSeconds(5));
    }

    // ---- connections ----

    /** Connections currently open to this upstream. */
    public int openConnections() {
        return openConnections.size();
    }

    /** Connections accepted since start; more than requests made means the client did not reuse them. */
    public int acceptedConnections() {
        return acceptedConnections.get();
    }

    /**
     * Completes when the connection that carried {@code request} closes, or its response is reset or closed
     * before it ended: how a test sees that the gateway hung up on the upstream.
     */
    public CompletableFuture<Void> connectionClosed(RecordedRequest request) {
        CompletableFuture<Void> closed = closures.get(request);
        if (closed == null) {
            throw new IllegalArgumentException("not a request this upstream recorded: " + request);
        }
        return closed;
    }

    /** True when the connection of {@code request} closed within {@code timeout}. */
    public boolean awaitConnectionClosedAfter(RecordedRequest request, Duration timeout) {
        try {
            connectionClosed(request).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for a connection to close", e);
        } catch (ExecutionException e) {
            throw new AssertionError(e.getCause());
        }
    }

    /**
     * Shuts every open connection down as an upstream going away for a deploy does: over HTTP/2 it sends GOAWAY, so
     * no new call may start on the connection, and closes it once the calls in flight have ended or {@code grace}
     * has passed.
     */
    public void shutDownConnections(Duration grace) {
        openConnections.forEach(connection -> connection.shutdown(grace));
    }

    /** True when the number of open connections drops to {@code expected} within {@code timeout}. */
    public boolean awaitOpenConnections(int expected, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (openConnections.size() != expected) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    // ---- ready-made behaviours ----

    public static Handler<HttpServerRequest> respond(int status, String contentType, String body,
                                                     Map<String, String> headers) {
        return request -> {
            HttpServerResponse response = request.response().setStatusCode(status);
            if (contentType != null) {
                response.putHeader(HttpHeaders.CONTENT_TYPE, contentType);
            }
            headers.forEach(response::putHeader);
            response.end(body);
        };
    }

    public static Handler<HttpServerRequest> respond(int status, String contentType, String body) {
        return respond(status, contentType, body, Map.of());
    }

    /** Streams already framed events (e.g. {@code "data: {...}\n\n"}), one write each, {@code gapMs} apart. */
    public static Handler<HttpServerRequest> sse(List<String> rawEvents, long gapMs) {
        return request -> new SpacedWriter(request, rawEvents, gapMs, false).start();
    }

    /** Streams the events like {@link #sse}, then drops the TCP connection without ending the chunked body. */
    public static Handler<HttpServerRequest> sseThenCut(List<String> rawEvents, long gapMs) {
        return request -> new SpacedWriter(request, rawEvents, gapMs, true).start();
    }

    /** Holds the response back for {@code ms}, then lets {@code then} answer. */
    public static Handler<HttpServerRequest> delayHeaders(long ms, Handler<HttpServerRequest> then) {
        return request -> {
            // Paused, the body stays unread, so {@code then} can still read it after the delay.
            request.pause();
            Vertx.currentContext().owner().setTimer(ms, id -> {
                if (!request.response().closed()) {
                    then.handle(request);
                }
                request.resume();
            });
        };
    }

    /** Never answers. */
    public static Handler<HttpServerRequest> hang() {
        return request -> {
        };
    }

    // ---- internals ----

    private void track(HttpConnection connection) {
        openConnections.add(connection);
        acceptedConnections.incrementAndGet();
        connection.closeHandler(ignored -> {
            openConnections.remove(connection);
            List<CompletableFuture<Void>> pending = closuresByConnection.remove(connection);
            if (pending != null) {
                pending.forEach(closed -> closed.complete(null));
            }
        });
    }

    private void handle(HttpServerRequest request) {
        CompletableFuture<Void> closed = closureOf(request);
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(request.headers());
        String method = request.method().name();
        String path = request.path();
        String query = request.query();
        // Asked for before the route runs: the body can only be read while the request has not ended, and
        // asking again from the route returns this same future.
        HttpVersion version = request.version();
        request.body().onSuccess(body -> record(new RecordedRequest(method, path, query, headers, body, version), closed));
        Handler<HttpServerRequest> route = overrides.getOrDefault(routeKey(method, path), answerer);
        try {
            route.handle(request);
        } catch (RuntimeException e) {
            HttpServerResponse response = request.response();
            if (!response.headWritten()) {
                response.setStatusCode(500).end("FakeUpstream route failed: " + e);
            }
            throw e;
        }
    }

    private CompletableFuture<Void> closureOf(HttpServerRequest request) {
        CompletableFuture<Void> closed = new CompletableFuture<>();
        closuresByConnection.computeIfAbsent(request.connection(), connection -> new CopyOnWriteArrayList<>())
                .add(closed);
        // Called when the response is reset or its connection drops before it ended.
        request.response().closeHandler(ignored -> closed.complete(null));
        return closed;
    }

    private void record(RecordedRequest request, CompletableFuture<Void> closed) {
        closures.put(request, closed);
        requests.add(request);
        untaken.add(request);
    }

    private static String routeKey(String method, String path) {
        return method.toUpperCase(Locale.ROOT) + " " + path;
    }

    private static <T> T await(Future<T> future, Duration timeout) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("FakeUpstream could not start or stop", e);
        }
    }

    /** Writes raw SSE events one at a time with a gap, then ends the response or cuts the connection. */
    private static final class SpacedWriter {
        private final HttpServerRequest request;
        private final HttpServerResponse response;
        private final List<String> events;
        private final long gapMs;
        private final boolean cutAtEnd;
        private final Vertx vertx = Vertx.currentContext().owner();

        SpacedWriter(HttpServerRequest request, List<String> events, long gapMs, boolean cutAtEnd) {
            this.request = request;
            this.response = request.response();
            this.events = List.copyOf(events);
            this.gapMs = gapMs;
            this.cutAtEnd = cutAtEnd;
        }

        void start() {
            response.setStatusCode(200)
                    .setChunked(true)
                    .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream; charset=utf-8")
                    .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
            if (events.isEmpty()) {
                finish(response.writeHead());
            } else {
                writeFrom(0);
            }
        }

        private void writeFrom(int index) {
            for (int next = index; !response.closed(); next++) {
                Future<Void> written = response.write(events.get(next));
                if (next + 1 == events.size()) {
                    finish(written);
                    return;
                }
                if (gapMs > 0) {
                    int resumeAt = next + 1;
                    vertx.setTimer(gapMs, id -> writeFrom(resumeAt));
                    return;
                }
            }
        }

        private void finish(Future<Void> lastWrite) {
            if (!cutAtEnd) {
                response.end();
                return;
            }
            // Close only once the last event is on the wire, or it might be dropped with the connection.
            lastWrite.onComplete(ignored -> request.connection().close());
        }
    }
}
