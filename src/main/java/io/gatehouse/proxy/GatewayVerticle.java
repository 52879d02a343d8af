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
import io.vertx.core.http.PoolOptions;

import java.time.Duration;

/**
 * One event loop's share of the gateway: a server instance on the shared port and its own pooled
 * upstream client, so a request never crosses threads between arriving and going upstream.
 */
final class GatewayVerticle extends VerticleBase {
    /** Long streams hold a connection each: the pool must not be what caps concurrent streams. */
    private static final int MAX_UPSTREAM_CONNECTIONS = 20_000;

    private final GatewayRuntime runtime;
    private final int port;
    private HttpServer server;
    private HttpClient client;
    private InterceptorChain chain;
    private LocalEndpoints local;

    GatewayVerticle(GatewayRuntime runtime, int port) {
        this.runtime = runtime;
        this.port = port;
    }

    @Override
    public Future<?> start() {
        client = vertx.createHttpClient(new HttpClientOptions()
                        .setKeepAlive(true)
                        .setKeepAliveTimeout(30)
                        .setTcpNoDelay(true)
                        .setDecompressionSupported(true)
                        .setMaxInitialLineLength(16 * 1024)
                        .setMaxHeaderSize(64 * 1024),
                new PoolOptions().setHttp1MaxSize(MAX_UPSTREAM_CONNECTIONS).setMaxWaitQueueSize(-1));
        chain = new InterceptorChain(runtime.interceptors(),
                runtime.resilience().around(vertx,
                        runtime.routing().sender(vertx, new UpstreamClient(vertx, client, runtime.metrics(), runtime.deadlines()))));
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
        return server.shutdown(grace).eventually(() -> client.close());
    }
}
