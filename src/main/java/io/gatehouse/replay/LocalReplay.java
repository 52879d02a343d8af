package io.gatehouse.replay;

import io.gatehouse.Blocking;
import io.gatehouse.config.GatehouseConfig;
import io.gatehouse.proxy.Gateway;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Pushes recorded traffic through the configured interceptors for real: an in-process gateway whose providers all
 * point at a {@link ReplayUpstream} that answers each call with its recorded response, and a client that sends
 * each recorded request to that gateway in the order the calls started. Nothing reaches a real provider.
 *
 * <p>Calls go one at a time, each read to its end before the next is sent, so the interceptors see the calls in
 * their recorded order (a recording of concurrent calls is replayed sequentially).
 */
public final class LocalReplay implements AutoCloseable {
    private static final long TIMEOUT_SECONDS = 30;

    private final Recording recording;
    private final GatehouseConfig config;
    private final Vertx vertx;
    private final ReplayUpstream upstream;
    private final Gateway gateway;

    private LocalReplay(Recording recording, GatehouseConfig config, Vertx vertx, ReplayUpstream upstream, Gateway gateway) {
        this.recording = recording;
        this.config = config;
        this.vertx = vertx;
        this.upstream = upstream;
        this.gateway = gateway;
    }

    /**
     * Starts the replay upstream and the gateway; blocks until both listen.
     *
     * @param configured the user's configuration (its {@code http_recorder} is left out), or null for the
     *                   {@code printer} interceptor alone with providers named after the recorded ones
     */
    public static LocalReplay start(Recording recording, GatehouseConfig configured) {
        // One event loop for the gateway and the replay upstream: calls go one at a time anyway, and a task queued on
        // that loop after a call runs only once the call's end (interceptors' onCallEnd) has been handled.
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        try {
            ReplayUpstream upstream = Blocking.await(ReplayUpstream.start(vertx, recording.calls()), TIMEOUT_SECONDS);
            GatehouseConfig config = ReplayGatewayConfig.of(configured, recording.calls(), upstream.baseUrl());
            Gateway gateway = Gateway.builder(config).vertx(vertx).start();
            return new LocalReplay(recording, config, vertx, upstream, gateway);
        } catch (RuntimeException e) {
            vertx.close();
            throw e;
        }
    }

    /** The gateway the calls go through; subscribe to its {@link Gateway#events()} to watch them. */
    public Gateway gateway() {
        return gateway;
    }

    /** The configuration the gateway runs: the user's interceptors and providers, pointed at the replay upstream. */
    public GatehouseConfig config() {
        return config;
    }

    /** Sends every recorded call through the gateway, {@code delay} apart, and reports what became of each. */
    public LocalReport run(Duration delay, ProgressBar progress) throws InterruptedException {
        String gatewayUrl = "http://127.0.0.1:" + gateway.port();
        Set<String> providerNames = ReplayGatewayConfig.providerNames(config);
        String defaultProvider = config.defaultProvider();
        List<ReplayedCall> replayed = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        try (CallSender sender = new CallSender()) {
            for (int index = 0; index < recording.calls().size(); index++) {
                RecordedCall call = recording.calls().get(index);
                RecordedRequest request = call.request();
                if (index > 0 && !delay.isZero()) {
                    Thread.sleep(delay.toMillis());
                }
                progress.clear();
                if (request.body().truncated()) {
                    skipped.add(request.requestId() + ": its request body was too large to be recorded whole");
                } else {
                    String path = ReplayRoutes.routedPath(request, providerNames, defaultProvider);
                    replayed.add(send(sender, gatewayUrl, call, path));
                    awaitCallEnd();
                }
                progress.step(request.method() + " " + request.path());
            }
        }
        progress.finish();
        return new LocalReport(recording, config, replayed, skipped);
    }

    private static ReplayedCall send(CallSender sender, String gatewayUrl, RecordedCall call, String path)
            throws InterruptedException {
        RecordedRequest request = call.request();
        Map<String, String> headers = ReplayHeaders.forRequest(request.headers());
        headers.put(ReplayUpstream.CALL_HEADER, request.requestId());
        String query = request.query().isEmpty() ? "" : "?" + request.query();
        try {
            LiveResponse response = sender.send(gatewayUrl, request.method(), path + query, headers, request.body().bytes());
            return ReplayedCall.of(call, response.status(), null);
        } catch (IOException e) {
            return ReplayedCall.of(call, 0, "no complete response (" + describe(e) + ")");
        } catch (IllegalArgumentException e) {
            return ReplayedCall.of(call, 0, "cannot be sent as recorded: " + e.getMessage());
        }
    }

    /**
     * Waits until the gateway has finished with the call whose response just arrived: the client may see the last
     * byte a moment before the gateway runs the interceptors' {@code onCallEnd}, in the same event-loop task. A task
     * queued on that one loop now runs after it, so the call's log lines and events are out before the next call
     * starts and the progress bar is drawn below them.
     */
    private void awaitCallEnd() {
        Promise<Void> reached = Promise.promise();
        vertx.runOnContext(ignored -> reached.complete());
        Blocking.await(reached.future(), TIMEOUT_SECONDS);
    }

    static String describe(IOException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    @Override
    public void close() {
        try {
            gateway.close();
            Blocking.await(upstream.close(), TIMEOUT_SECONDS);
        } finally {
            Blocking.await(vertx.close(), TIMEOUT_SECONDS);
        }
    }

}
