package io.gatehouse.proxy;

import io.gatehouse.manage.ManagementApi;
import io.gatehouse.pipeline.InterceptorChain;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;

import java.time.Duration;

/**
 * One event loop's share of the gateway: a server instance on the shared port and its own pooled
 * upstream clients (HTTP/1.1, and HTTP/2 for upstreams configured so), so a request never crosses threads between
 * arriving and going upstream.
 */
final class GatewayVerticle extends VerticleBase {
    /** Long streams hold a connection each: the pool must not be what caps concurrent streams. */
    private static final int MAX_UPSTREAM_CONNECTIONS = 20_000;
    /**
     * HTTP/2 upstreams: connections per upstream and event loop, each carrying many calls (100 at once on a typical
     * server, so 10,000 per event loop). Also the most a burst can open: the pool opens a connection per waiting call
     * while the ones being opened have not yet told how many calls they take.
     */
    private static final int MAX_UPSTREAM_HTTP2_CONNECTIONS = 100;
    /**
     * How much one HTTP/2 upstream connection may send ahead, over all its calls, before the gateway reads it. Large,
     * so that one call whose client reads slowly cannot hold up the others sharing its connection; each call is
     * still held to its own stream window.
     */
    private static final int HTTP2_CONNECTION_WINDOW_BYTES = 16 * 1024 * 1024;

    private final GatewayRuntime runtime;
    private final int port;
    private HttpServer server;
    private HttpClient client;
    private HttpClient http2Client;
    private InterceptorChain chain;
    private LocalEndpoints local;

    GatewayVerticle(GatewayRuntime runtime, int port) {
        this.runtime = runtime;
        this.port = port;
    }

    @Override
    public Future<?> start() {
        client = vertx.createHttpClient(upstreamClientOptions(), new PoolOptions()
                .setHttp1MaxSize(MAX_UPSTREAM_CONNECTIONS).setMaxWaitQueueSize(-1));
        // Each connection carries as many calls at once as the upstream allows (its SETTINGS); more connections
        // open when all are full, or while the first are still connecting (see MAX_UPSTREAM_HTTP2_CONNECTIONS).
        http2Client = vertx.httpClientBuilder()
                .with(upstreamClientOptions()
                        .setProtocolVersion(HttpVersion.HTTP_2)
                        .setUseAlpn(true)
                        .setHttp2ClearTextUpgrade(false)
                        .setHttp2ConnectionWindowSize(HTTP2_CONNECTION_WINDOW_BYTES)
                        .setHttp2KeepAliveTimeout(30))
                .with(new PoolOptions().setHttp2MaxSize(MAX_UPSTREAM_HTTP2_CONNECTIONS).setMaxWaitQueueSize(-1))
                .withConnectHandler(FlushBatching::install)
                .build();
        UpstreamClient upstream = new UpstreamClient(vertx, client, http2Client, runtime.metrics(), runtime.deadlines());
        chain = new InterceptorChain(runtime.interceptors(),
                runtime.resilience().around(vertx, runtime.routing().sender(vertx, upstream)));
        local = new LocalEndpoints(runtime);
        server = vertx.createHttpServer(new HttpServerOptions()
                .setPort(port)
                .setHost(runtime.config().server().host())
                .setTcpNoDelay(true)
                .setMaxInitialLineLength(16 * 1024)
                .setMaxHeaderSize(64 * 1024)
                .setIdleTimeout(0));
        return server.requestHandler(this::handle).listen();
    }

    /** What both upstream clients share: keep-alive, no Nagle, and decompression, so interceptors see plain bytes. */
    private static HttpClientOptions upstreamClientOptions() {
        return new HttpClientOptions()
                .setKeepAlive(true)
                .setKeepAliveTimeout(30)
                .setTcpNoDelay(true)
                .setDecompressionSupported(true)
                .setMaxInitialLineLength(16 * 1024)
                .setMaxHeaderSize(64 * 1024);
    }

    int actualPort() {
        return server.actualPort();
    }

    private void handle(HttpServerRequest request) {
        if (ManagementApi.owns(request.path())) {
            runtime.management().handle(request);
            return;
        }
        if (local.handle(request)) {
            return;
        }
        ProviderRouter.Match match = runtime.router().match(request.path());
        new Exchange(vertx, runtime, chain, request, match).start();
    }

    /**
     * Stops taking connections at once and lets requests in flight finish within the grace period; the upstream
     * client, which those requests still use, closes after them.
     */
    @Override
    public Future<?> stop() {
        Duration grace = Duration.ofMillis(Math.round(runtime.config().server().shutdownGraceSeconds() * 1000));
        return server.shutdown(grace).eventually(() -> Future.join(client.close(), http2Client.close()));
    }
}
