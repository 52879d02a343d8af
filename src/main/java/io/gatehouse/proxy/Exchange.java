package io.gatehouse.proxy;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.gatehouse.pipeline.BodySource;
import io.gatehouse.pipeline.Call;
import io.gatehouse.pipeline.CallEnd;
import io.gatehouse.pipeline.CallOutcome;
import io.gatehouse.pipeline.ErrorKind;
import io.gatehouse.pipeline.GatewayError;
import io.gatehouse.pipeline.GatewayException;
import io.gatehouse.pipeline.InterceptorChain;
import io.gatehouse.pipeline.Json;
import io.gatehouse.pipeline.JsonBody;
import io.gatehouse.pipeline.ProxyRequest;
import io.gatehouse.pipeline.ProxyResponse;
import io.gatehouse.pipeline.Upstream;
import io.gatehouse.pipeline.WireFormat;
import io.gatehouse.routing.ModelRouting;
import io.netty.util.Timeout;
import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;

/**
 * One proxied request from arrival to its end: reads the body (within the size limit), checks JSON,
 * runs the interceptor chain, streams the response back with back-pressure, and tells the chain how it
 * ended exactly once. Lives entirely on one event loop, so it needs no locks.
 */
final class Exchange implements BodySource.BodySink {
    private static final Logger LOG = LoggerFactory.getLogger(Exchange.class);
    /** Bodies up to this size are parsed on the event loop; larger ones on a worker, so no stream stalls. */
    private static final int INLINE_PARSE_LIMIT = 128 * 1024;
    /** How much of a refused body, and for how long, the gateway reads and discards before it closes. */
    private static final long DRAIN_LIMIT_BYTES = 4L * 1024 * 1024;
    private static final long DRAIN_TIMEOUT_MS = 5_000;

    private final Vertx vertx;
    private final Context context;
    private final GatewayRuntime runtime;
    private final HttpServerRequest serverRequest;
    private final HttpServerResponse out;
    private final InterceptorChain chain;
    private final Call call;
    private final Upstream upstream;
    /** The API the client speaks, which every error it gets is written in. */
    private final WireFormat clientFormat;
    private final String path;
    private final String workflowId;
    private final String route;

    /** True from the start until the body is complete or refused. */
    private boolean readingBody;
    /** The request body as it arrives (null until its first chunk), until it is complete and handed to the request. */
    private Buffer body;
    /** True once {@link #body} is a buffer of the gateway's own that later chunks are gathered in. */
    private boolean bodyGathered;
    private ProxyRequest request;
    private InterceptorChain.Run run;
    private ProxyResponse response;
    private BodySource source;
    private GatewayError failure;
    private boolean streaming;
    private boolean bodyDone;
    private boolean finished;
    private long bytesIn;
    private long bytesOut;
    private long lastChunkNanos;
    /** The deadline for the response's next chunk, or null. */
    private Timeout idleDeadline;
    /** Chunks that arrived in this event-loop turn; they go out together at its end, in one write. */
    private Buffer pending;
    private boolean pendingIsCopy;

    Exchange(Vertx vertx, GatewayRuntime runtime, InterceptorChain chain, HttpServerRequest serverRequest,
             ProviderRouter.Match match) {
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.runtime = runtime;
        this.chain = chain;
        this.serverRequest = serverRequest;
        this.out = serverRequest.response();
        this.call = new Call(RequestIds.next(), System.nanoTime());
        this.upstream = match.upstream();
        this.clientFormat = match.clientFormat(serverRequest.headers());
        this.path = match.path();
        this.workflowId = match.workflowId();
        this.route = RouteNames.of(path);
        if (serverRequest.remoteAddress() != null) {
            call.attribute(Call.CLIENT_ADDRESS, serverRequest.remoteAddress().hostAddress());
        }
    }

    void start() {
        out.closeHandler(v -> onClientGone());
        chain.onRequestHead(call, serverRequest.method(), path, serverRequest.headers(), upstream);
        long maxBody = runtime.maxBodyBytes();
        String header = serverRequest.getHeader("content-length");
        long declaredLength = header == null ? -1 : parseLength(header);
        if (declaredLength > maxBody) {
            rejectTooLarge(maxBody);
            return;
        }
        readingBody = true;
        serverRequest.handler(chunk -> {
            if (!readingBody) {
                return;
            }
            long sofar = body == null ? 0 : body.length();
            if (sofar + chunk.length() > maxBody) {
                readingBody = false;
                body = null;
                rejectTooLarge(maxBody);
                return;
            }
            addToBody(chunk);
        });
        serverRequest.exceptionHandler(e -> LOG.debug("Reading request {} failed: {}", call.id(), e.toString()));
        serverRequest.endHandler(v -> {
            if (readingBody && !finished) {
                readingBody = false;
                Buffer received = body == null ? Buffer.buffer(0) : body;
                body = null; // The request keeps it for as long as it may be re-sent; see respond().
                onBody(received);
            }
        });
    }

    /**
     * Most bodies arrive in one chunk, and Vert.x hands each chunk over in a buffer of its own: that chunk is kept as
     * the body, without a copy. A second chunk starts a buffer of the gateway's own, which then grows as chunks
     * arrive (never sized by the declared length ahead of them, which would let slow clients claim memory unsent).
     */
    private void addToBody(Buffer chunk) {
        if (body == null) {
            body = chunk;
            return;
        }
        if (!bodyGathered) {
            int capacity = (int) Math.min(2L * (body.length() + chunk.length()), Integer.MAX_VALUE - 8);
            body = Buffer.buffer(capacity).appendBuffer(body);
            bodyGathered = true;
        }
        body.appendBuffer(chunk);
    }

    private void onBody(Buffer received) {
        bytesIn = received.length();
        if (!isJson(serverRequest.headers()) || received.length() == 0) {
            proceed(received, null);
            return;
        }
        if (received.length() <= INLINE_PARSE_LIMIT) {
            JsonBody json;
            try {
                json = JsonBody.scan(received);
            } catch (Exception e) {
                rejectMalformedJson(e);
                return;
            }
            proceed(received, json);
        } else {
            // Parsed at once, so no interceptor builds the tree of a large body on the event loop later.
            vertx.executeBlocking(() -> JsonBody.of(Json.MAPPER.readTree(received.getBytes())), false)
                    .onSuccess(json -> proceed(received, json))
                    .onFailure(this::rejectMalformedJson);
        }
    }

    private void proceed(Buffer received, JsonBody json) {
        if (finished) {
            return;
        }
        request = ProxyRequest.builder()
                .method(serverRequest.method())
                .path(path)
                .query(serverRequest.query())
                .headers(serverRequest.headers())
                .body(received)
                .parsedJson(json)
                .upstream(upstream)
                .clientFormat(clientFormat)
                .workflowId(workflowId)
                .build();
        run = chain.start(call);
        run.proceed(request).onComplete(ar -> {
            if (ar.succeeded()) {
                respond(ar.result());
            } else {
                onChainFailure(ar.cause());
            }
        });
    }

    private void onChainFailure(Throwable cause) {
        if (call.isCancelled()) {
            finish(CallOutcome.ABORTED, null);
            return;
        }
        GatewayError error;
        if (cause instanceof GatewayException gatewayException) {
            error = gatewayException.error();
        } else {
            LOG.error("Request {} failed inside the gateway", call.id(), cause);
            error = GatewayError.internal("Internal gateway error (request " + call.id() + ")");
        }
        failure = error;
        respond(ProxyResponse.error(clientFormat, error));
    }

    private void respond(ProxyResponse proxied) {
        response = proxied;
        source = proxied.body();
        // The answer is chosen: nothing re-sends the body any more, and a stream may now stay open for minutes.
        request = request.withoutBody();
        if (call.isCancelled() || finished) {
            source.cancel();
            finish(CallOutcome.ABORTED, null);
            return;
        }
        int status = proxied.status();
        MultiMap headers = proxied.headers();
        if (proxied.pipeline().transforms()) {
            headers.remove("content-length");
        }
        if (status != 200) { // A new response is 200 already; setting it takes the connection's lock.
            out.setStatusCode(status);
        }
        out.headers().addAll(headers);
        addGatewayHeaders();
        if (source instanceof BodySource.FixedBody fixed) {
            Buffer whole = proxied.pipeline().isEmpty() ? fixed.body()
                    : proxied.pipeline().onChunk(fixed.body()).copy().appendBuffer(proxied.pipeline().onEnd());
            bytesOut = whole.length();
            out.headers().remove("content-length");
            out.end(whole);
            bodyDone = true;
            finish(failure == null ? CallOutcome.COMPLETED : CallOutcome.FAILED, failure);
            return;
        }
        if (bodyAllowed(status) && !out.headers().contains("content-length")) {
            out.setChunked(true);
        }
        streaming = proxied.isEventStream();
        if (streaming) {
            runtime.metrics().streamOpened();
            out.writeHead();
        }
        lastChunkNanos = System.nanoTime();
        armIdleDeadline(servingUpstream().idleTimeout().toMillis());
        source.start(this);
    }

    @Override
    public void chunk(Buffer chunk) {
        if (bodyDone) {
            return;
        }
        lastChunkNanos = System.nanoTime();
        Buffer forward = response.pipeline().isEmpty() ? chunk : response.pipeline().onChunk(chunk);
        if (forward.length() == 0) {
            return;
        }
        bytesOut += forward.length();
        if (pending == null) {
            pending = forward;
            // Runs right after the upstream read that delivered this chunk: chunks decoded from one read
            // leave in one write instead of one system call each, and nothing waits longer than that turn.
            context.runOnContext(v -> flushPending());
        } else {
            if (!pendingIsCopy) {
                pending = Buffer.buffer(pending.length() + forward.length()).appendBuffer(pending);
                pendingIsCopy = true;
            }
            pending.appendBuffer(forward);
        }
    }

    private void flushPending() {
        Buffer batch = takePending();
        if (batch == null || bodyDone) {
            return;
        }
        out.write(batch);
        if (out.writeQueueFull()) {
            source.pause();
            out.drainHandler(v -> source.resume());
        }
    }

    private Buffer takePending() {
        Buffer batch = pending;
        pending = null;
        pendingIsCopy = false;
        return batch;
    }

    /** What is still pending followed by {@code last}, either of which may be null. */
    private Buffer withPending(Buffer last) {
        Buffer batch = takePending();
        if (batch == null) {
            return last;
        }
        return last == null || last.length() == 0 ? batch : batch.copy().appendBuffer(last);
    }

    @Override
    public void end() {
        if (bodyDone) {
            return;
        }
        bodyDone = true;
        cancelIdleDeadline();
        Buffer tail = response.pipeline().isEmpty() ? null : response.pipeline().onEnd();
        if (tail != null) {
            bytesOut += tail.length();
        }
        Buffer last = withPending(tail);
        if (last != null && last.length() > 0) {
            out.end(last);
        } else {
            out.end();
        }
        finish(CallOutcome.COMPLETED, null);
    }

    @Override
    public void error(Throwable cause) {
        if (call.isCancelled()) {
            // Our own reset of the upstream after the client left; that end is reported as an abort.
            return;
        }
        breakOff(new GatewayError(ErrorKind.UPSTREAM_BROKEN,
                "Upstream '" + servingUpstream().name() + "' broke off the response", "upstream_broken"), cause);
    }

    /** The upstream failed after the response began: say so in the stream when it is one, else cut. */
    private void breakOff(GatewayError error, Throwable cause) {
        if (bodyDone) {
            return;
        }
        bodyDone = true;
        cancelIdleDeadline();
        source.cancel();
        LOG.warn("Request {}: {} ({})", call.id(), error.message(), cause == null ? "idle" : cause.toString());
        if (streaming) {
            Buffer event = clientFormat.streamErrorEvent(error);
            bytesOut += event.length();
            out.end(withPending(event));
        } else {
            takePending();
            out.reset();
        }
        finish(CallOutcome.FAILED, error);
    }

    private void onClientGone() {
        if (finished) {
            return;
        }
        call.cancel();
        if (source != null && !bodyDone) {
            bodyDone = true;
            cancelIdleDeadline();
            source.cancel();
        }
        finish(CallOutcome.ABORTED, null);
    }

    private void armIdleDeadline(long idleMillis) {
        idleDeadline = runtime.deadlines().after(idleMillis, context, () -> {
            if (bodyDone) {
                return;
            }
            Upstream serving = servingUpstream();
            long limit = serving.idleTimeout().toMillis();
            long idleFor = (System.nanoTime() - lastChunkNanos) / 1_000_000;
            if (idleFor >= limit) {
                breakOff(new GatewayError(ErrorKind.UPSTREAM_TIMEOUT, "Upstream '" + serving.name()
                        + "' sent nothing for " + seconds(serving.idleTimeout()) + " s", "upstream_idle_timeout"), null);
            } else {
                armIdleDeadline(limit - idleFor);
            }
        });
    }

    /** The provider the response comes from: the one the call's model routed it to, else the path's. */
    private Upstream servingUpstream() {
        Upstream routed = call.attribute(ModelRouting.ROUTED_UPSTREAM);
        return routed != null ? routed : upstream;
    }

    private void cancelIdleDeadline() {
        CallDeadlines.cancel(idleDeadline);
        idleDeadline = null;
    }

    /** The call's own headers (interceptors' {@link Call#responseHeaders()}) and the timing headers. */
    private void addGatewayHeaders() {
        if (call.hasResponseHeaders()) {
            MultiMap callHeaders = call.responseHeaders();
            for (String name : callHeaders.names()) {
                out.headers().set(name, callHeaders.getAll(name));
            }
        }
        long now = System.nanoTime();
        long upstreamNanos = call.upstreamNanos();
        long overhead = Math.max(0, now - call.startNanos() - upstreamNanos);
        runtime.metrics().overhead(servingUpstream().name(), overhead);
        out.putHeader("x-gatehouse-request-id", call.id());
        out.putHeader("x-gatehouse-overhead-ms", millis(overhead));
        String timing = "gatehouse;dur=" + millis(overhead) + ", upstream;dur=" + millis(upstreamNanos);
        String upstreamTiming = out.headers().get("server-timing");
        out.headers().set("server-timing", upstreamTiming == null ? timing : upstreamTiming + ", " + timing);
    }

    private void finish(CallOutcome outcome, GatewayError error) {
        if (finished) {
            return;
        }
        finished = true;
        cancelIdleDeadline();
        if (streaming) {
            runtime.metrics().streamClosed();
        }
        long duration = System.nanoTime() - call.startNanos();
        int status = outcome == CallOutcome.ABORTED && !out.headWritten() ? 0 : out.getStatusCode();
        // Labelled by the provider that served the call: the one its model routed it to, else its path's.
        String provider = servingUpstream().name();
        runtime.metrics().request(provider, route, status, outcome.name().toLowerCase(Locale.ROOT), duration);
        runtime.metrics().bytesIn(provider, bytesIn);
        runtime.metrics().bytesOut(provider, bytesOut);
        if (run != null) {
            run.end(new CallEnd(call, outcome, status, error, request, response, bytesOut, duration));
        }
    }

    private void rejectTooLarge(long maxBody) {
        reject(new GatewayError(ErrorKind.REQUEST_TOO_LARGE,
                "Request body exceeds the gateway's limit of " + maxBody + " bytes", "request_too_large"), true);
    }

    private void rejectMalformedJson(Throwable cause) {
        String detail = cause instanceof JsonProcessingException jpe && jpe.getLocation() != null
                ? jpe.getOriginalMessage() + " (line " + jpe.getLocation().getLineNr() + ", column " + jpe.getLocation().getColumnNr() + ")"
                : "not valid JSON";
        reject(GatewayError.invalidRequest("Could not parse the JSON body: " + detail), false);
    }

    /** Answers before any interceptor saw the request; those requests never enter the chain. */
    private void reject(GatewayError error, boolean closeConnection) {
        if (finished) {
            return;
        }
        failure = error;
        Buffer payload = clientFormat.errorBody(error);
        out.setStatusCode(error.status()).putHeader("content-type", "application/json");
        addGatewayHeaders();
        if (closeConnection) {
            // The rest of the body is still on its way; the connection cannot be reused.
            out.putHeader("connection", "close");
            out.end(payload).onComplete(v -> closeAfterDrainingBody());
        } else {
            out.end(payload);
        }
        bytesOut = payload.length();
        finish(CallOutcome.FAILED, error);
    }

    /**
     * Closes the connection once the client has finished sending the body we refused. Closing while the client
     * is still writing makes its TCP stack reset the connection, and a client that reads only after writing
     * (as the JDK's HttpClient does) then never sees the 413. Draining is bounded in bytes and time.
     */
    private void closeAfterDrainingBody() {
        if (serverRequest.isEnded()) {
            serverRequest.connection().close();
            return;
        }
        long[] drained = {0};
        long timer = vertx.setTimer(DRAIN_TIMEOUT_MS, id -> serverRequest.connection().close());
        serverRequest.handler(chunk -> {
            drained[0] += chunk.length();
            if (drained[0] > DRAIN_LIMIT_BYTES) {
                vertx.cancelTimer(timer);
                serverRequest.connection().close();
            }
        });
        serverRequest.endHandler(v -> {
            vertx.cancelTimer(timer);
            serverRequest.connection().close();
        });
    }

    private boolean bodyAllowed(int status) {
        return serverRequest.method() != HttpMethod.HEAD && status >= 200 && status != 204 && status != 304;
    }

    private static boolean isJson(MultiMap headers) {
        String type = headers.get("content-type");
        String encoding = headers.get("content-encoding");
        return type != null && type.toLowerCase(Locale.ROOT).contains("json")
                && (encoding == null || encoding.equalsIgnoreCase("identity"));
    }

    private static long parseLength(String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static String seconds(java.time.Duration duration) {
        return java.math.BigDecimal.valueOf(duration.toMillis(), 3).stripTrailingZeros().toPlainString();
    }

    /** Milliseconds with three decimals, without String.format's cost on every response. */
    static String millis(long nanos) {
        long micros = nanos / 1_000;
        long fraction = micros % 1_000;
        return (micros / 1_000) + (fraction < 10 ? ".00" : fraction < 100 ? ".0" : ".") + fraction;
    }
}
