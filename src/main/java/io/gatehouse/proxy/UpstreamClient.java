package io.gatehouse.proxy;

import io.gatehouse.pipeline.BodySource;
import io.gatehouse.pipeline.Call;
import io.gatehouse.pipeline.ErrorKind;
import io.gatehouse.pipeline.GatewayError;
import io.gatehouse.pipeline.GatewayException;
import io.gatehouse.pipeline.ProxyRequest;
import io.gatehouse.pipeline.ProxyResponse;
import io.gatehouse.pipeline.Upstream;
import io.gatehouse.pipeline.UpstreamSender;
import io.netty.channel.ConnectTimeoutException;
import io.netty.util.Timeout;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.RequestOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;

/**
 * Sends a request upstream once over one event loop's pooled keep-alive client, the HTTP/2 one for upstreams
 * configured with {@code http2}; retries, fallbacks and balancing wrap it (io.gatehouse.resilience). The response
 * comes back paused, its body streaming only once the writer is ready for it.
 */
final class UpstreamClient implements UpstreamSender {
    private static final Logger LOG = LoggerFactory.getLogger(UpstreamClient.class);

    private final Vertx vertx;
    private final HttpClient client;
    private final Http2ConnectGate http2Client;
    private final ProxyMetrics metrics;
    private final CallDeadlines deadlines;

    UpstreamClient(Vertx vertx, HttpClient client, HttpClient http2Client, ProxyMetrics metrics, CallDeadlines deadlines) {
        this.vertx = vertx;
        this.client = client;
        this.http2Client = new Http2ConnectGate(http2Client);
        this.metrics = metrics;
        this.deadlines = deadlines;
    }

    @Override
    public Future<ProxyResponse> send(Call call, ProxyRequest request) {
        Upstream upstream = request.upstream();
        String uri = upstream.basePath() + request.pathAndQuery();
        MultiMap headers = HeaderPolicy.upstreamRequestHeaders(request.headers(), upstream);
        if (upstream.apiKey() != null) {
            upstream.format().authorize(request.method(), (upstream.ssl() ? "https://" : "http://") + upstream.authority()
                    + uri, headers, request.body(), upstream.apiKey());
        }
        RequestOptions options = new RequestOptions()
                .setMethod(request.method())
                .setHost(upstream.host())
                .setPort(upstream.port())
                .setSsl(upstream.ssl())
                .setURI(uri)
                .setHeaders(headers)
                .setConnectTimeout(upstream.connectTimeout().toMillis())
                .setFollowRedirects(false);
        if (upstream.tls() != null) {
            options.setSslOptions(upstream.tls());
        }
        Promise<ProxyResponse> promise = Promise.promise();
        long startedAt = System.nanoTime();
        (upstream.http2() ? http2Client.request(options) : client.request(options)).onComplete(connected -> {
            if (call.isCancelled()) {
                if (connected.succeeded()) {
                    connected.result().reset();
                }
                promise.tryFail(new GatewayException(GatewayError.internal("The client went away")));
                return;
            }
            if (connected.failed()) {
                failToConnect(upstream, promise, connected.cause());
                return;
            }
            HttpClientRequest upstreamRequest = connected.result();
            call.onCancel(upstreamRequest::reset);
            Timeout firstByte = deadlines.after(upstream.firstByteTimeout().toMillis(), vertx.getOrCreateContext(), () -> {
                if (promise.tryFail(new GatewayException(new GatewayError(ErrorKind.UPSTREAM_TIMEOUT,
                        "Upstream '" + upstream.name() + "' sent no response within "
                                + Exchange.seconds(upstream.firstByteTimeout()) + " s", "upstream_timeout")))) {
                    upstreamRequest.reset();
                }
            });
            upstreamRequest.send(request.body()).onComplete(answered -> {
                CallDeadlines.cancel(firstByte);
                long waited = System.nanoTime() - startedAt;
                call.addUpstreamNanos(waited);
                if (answered.failed()) {
                    if (!promise.future().isComplete()) {
                        LOG.debug("Upstream {} failed before answering: {}", upstream.name(), answered.cause().toString());
                    }
                    promise.tryFail(new GatewayException(new GatewayError(ErrorKind.UPSTREAM_UNREACHABLE,
                            "Upstream '" + upstream.name() + "' closed the connection before answering", "upstream_unreachable"),
                            answered.cause()));
                    return;
                }
                HttpClientResponse response = answered.result();
                response.pause();
                metrics.upstreamLatency(upstream.name(), waited);
                ProxyResponse proxied = ProxyResponse.fromUpstream(response.statusCode(),
                        HeaderPolicy.clientResponseHeaders(response.headers()), new UpstreamBody(upstreamRequest, response));
                if (!promise.tryComplete(proxied)) {
                    upstreamRequest.reset();
                }
            });
        });
        return promise.future();
    }

    private static void failToConnect(Upstream upstream, Promise<ProxyResponse> promise, Throwable cause) {
        LOG.warn("Upstream {} unreachable at {}: {}", upstream.name(), upstream.baseUrl(), cause.toString());
        // Vert.x reports a connect that ran out of time as a TimeoutException, Netty as its own type.
        GatewayError error;
        if (cause instanceof ConnectTimeoutException || cause instanceof java.util.concurrent.TimeoutException) {
            error = new GatewayError(ErrorKind.UPSTREAM_TIMEOUT,
                    "Timed out connecting to upstream '" + upstream.name() + "'", "upstream_connect_timeout");
        } else if (isTlsFailure(cause)) {
            error = new GatewayError(ErrorKind.UPSTREAM_UNREACHABLE, "The TLS handshake with upstream '" + upstream.name()
                    + "' failed: its certificate is not trusted or does not name its host (see ca_file)", "upstream_tls_failed");
        } else {
            error = new GatewayError(ErrorKind.UPSTREAM_UNREACHABLE,
                    "Upstream '" + upstream.name() + "' is unreachable", "upstream_unreachable");
        }
        promise.tryFail(new GatewayException(error, cause));
    }

    private static boolean isTlsFailure(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof SSLException) {
                return true;
            }
        }
        return false;
    }

    /** The upstream response body, delivered through the writer's sink; cancelling resets the request. */
    private record UpstreamBody(HttpClientRequest request, HttpClientResponse response) implements BodySource {
        @Override
        public void start(BodySink sink) {
            response.handler(sink::chunk);
            response.exceptionHandler(sink::error);
            response.endHandler(v -> sink.end());
            response.resume();
        }

        @Override
        public void pause() {
            response.pause();
        }

        @Override
        public void resume() {
            response.resume();
        }

        @Override
        public void cancel() {
            request.reset();
        }
    }
}
