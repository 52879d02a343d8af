package io.gatehouse.limit;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Counters in a Redis shared by every gateway instance, so limits hold across them exactly. A call costs one round
 * trip before it goes upstream: the {@code reserve.lua} script checks and charges all its counters atomically; the
 * calls an event loop receives in one turn share that round trip and that script (each still atomic on its own).
 * Settlements of ended calls are summed per counter and sent together every {@value #SETTLE_INTERVAL_MILLIS} ms in one
 * {@code settle.lua} script, so under load they cost a fraction of a round trip per call; until then a reservation
 * stays charged, which errs on the safe side.
 *
 * <p>Each event loop has its own connection, opened on that loop and used only from it, so a limit check never changes
 * thread: the command is written and its answer read by the loop that handles the call. Commands are pipelined on it.
 * Each command times out after {@code timeout}; a connection that breaks is dropped and reopened by the next call,
 * at most once a second while Redis stays unreachable. The keys of one call must live on one node: Redis Cluster is
 * not supported.
 */
final class RedisLimitBackend implements LimitBackend {
    private static final String RESERVE = script("reserve.lua");
    private static final String SETTLE = script("settle.lua");
    static final long SETTLE_INTERVAL_MILLIS = 20;
    /** Counters per settle script, so one flush never holds Redis for long. */
    private static final int SETTLE_BATCH = 256;
    /** Calls per reserve script at most, so one script never holds Redis for long. */
    private static final int RESERVATION_BATCH = 64;
    private static final long RECONNECT_PAUSE_MILLIS = 1_000;
    /** More than any gateway's event loops; a leak of connections would fail calls rather than exhaust Redis. */
    private static final int MAX_CONNECTIONS = 128;

    private final Vertx vertx;
    private final Redis client;
    private final long timeoutMillis;
    /** The backend's own event loop: settlements are flushed from it, and calls made off any event loop go through it. */
    private final Context home;
    /**
     * Connections by event-loop thread. Not by context: every HTTP request runs on a context of its own (a duplicate of
     * its loop's), and a connection per request would exhaust the pool.
     */
    private final ConcurrentMap<Thread, Link> links = new ConcurrentHashMap<>();
    private final ConcurrentMap<Thread, Reservations> reservations = new ConcurrentHashMap<>();
    private volatile String reserveSha;
    private volatile String settleSha;
    /** Deltas not yet sent, summed per counter key. */
    private final ConcurrentMap<String, Long> unsettled = new ConcurrentHashMap<>();
    /** Completes when the next flush has been applied (or failed): what {@link #adjust} hands its callers. */
    private final AtomicReference<Promise<Void>> nextFlush = new AtomicReference<>(Promise.promise());
    private volatile long flushTimer = -1;

    /** The reservations one event loop made in its current turn, not yet sent. Touched only on that loop. */
    private static final class Reservations {
        List<Reservation> waiting = new ArrayList<>();
    }

    private record Reservation(List<Counter> counters, boolean enforce, Promise<long[]> answer) {
    }

    /** One event loop's connection. Touched only on that loop. */
    private static final class Link {
        Future<RedisConnection> connection;
        long failedAtMillis;
    }

    private RedisLimitBackend(Vertx vertx, Redis client, Duration timeout) {
        this.vertx = vertx;
        this.client = client;
        this.timeoutMillis = timeout.toMillis();
        this.home = vertx.getOrCreateContext();
    }

    /**
     * Connects, loads the scripts and starts the settlement flush; blocking, so call it at startup, off any event loop.
     *
     * @param redisUrl {@code redis://[[user:]password@]host[:port][/db]}
     * @throws IllegalStateException naming the host (never the password) when Redis cannot be reached
     */
    static RedisLimitBackend connect(Vertx vertx, String redisUrl, Duration timeout) {
        URI uri = URI.create(redisUrl);
        String where = uri.getHost() + ":" + (uri.getPort() < 0 ? 6379 : uri.getPort());
        Redis client = Redis.createClient(vertx, new RedisOptions().setConnectionString(redisUrl)
                // One connection per event loop (and one for the backend's own), held for good.
                .setMaxPoolSize(MAX_CONNECTIONS)
                .setMaxWaitingHandlers(65_536));
        RedisLimitBackend backend = new RedisLimitBackend(vertx, client, timeout);
        try {
            Promise<Void> loaded = Promise.promise();
            backend.home.runOnContext(ignored -> backend.loadScripts().onComplete(loaded));
            loaded.future().await(timeout.toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            client.close();
            throw new IllegalStateException("limits: cannot reach Redis at " + where + " (" + e.getClass().getSimpleName()
                    + ")", e);
        }
        backend.home.runOnContext(ignored -> backend.flushTimer = vertx.setPeriodic(SETTLE_INTERVAL_MILLIS,
                id -> backend.flush()));
        return backend;
    }

    private Future<Void> loadScripts() {
        return send(Request.cmd(Command.SCRIPT).arg("LOAD").arg(RESERVE))
                .compose(reserve -> {
                    reserveSha = reserve.toString();
                    return send(Request.cmd(Command.SCRIPT).arg("LOAD").arg(SETTLE));
                })
                .map(settle -> {
                    settleSha = settle.toString();
                    return null;
                });
    }

    /**
     * Joins the reservations this event loop makes in its current turn: they go to Redis together, in one script, once
     * the turn's other work is done. Under load a turn handles several calls, and one round trip serves them all.
     */
    @Override
    public Future<long[]> reserve(List<Counter> counters, boolean enforce) {
        Context context = Vertx.currentContext();
        if (context == null || !context.isEventLoopContext()) {
            Promise<long[]> answer = Promise.promise();
            home.runOnContext(ignored -> reserve(counters, enforce).onComplete(answer));
            return answer.future();
        }
        Reservations turn = reservations.computeIfAbsent(Thread.currentThread(), ignored -> new Reservations());
        if (turn.waiting.isEmpty()) {
            context.runOnContext(ignored -> sendReservations(turn));
        }
        Reservation reservation = new Reservation(counters, enforce, Promise.promise());
        turn.waiting.add(reservation);
        if (turn.waiting.size() == RESERVATION_BATCH) {
            sendReservations(turn);
        }
        return reservation.answer().future();
    }

    private void sendReservations(Reservations turn) {
        List<Reservation> batch = turn.waiting;
        if (batch.isEmpty()) {
            return;
        }
        turn.waiting = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        List<String> args = new ArrayList<>();
        args.add(Integer.toString(batch.size()));
        for (Reservation reservation : batch) {
            args.add(reservation.enforce() ? "1" : "0");
            args.add(Integer.toString(reservation.counters().size()));
            for (Counter counter : reservation.counters()) {
                keys.add(counter.key());
                args.add(Long.toString(counter.amount()));
                args.add(Long.toString(counter.limit()));
                args.add(Long.toString(counter.expireAtMillis()));
            }
        }
        run(reserveSha, RESERVE, keys, args).onComplete(answer -> {
            for (int call = 0; call < batch.size(); call++) {
                Promise<long[]> promise = batch.get(call).answer();
                if (answer.failed()) {
                    promise.fail(answer.cause());
                    continue;
                }
                Response values = answer.result().get(call);
                long[] before = new long[values.size()];
                for (int i = 0; i < before.length; i++) {
                    before[i] = values.get(i).toLong();
                }
                promise.complete(before);
            }
        });
    }

    /** Queues the deltas for the next flush; completes once that flush has been applied. */
    @Override
    public Future<Void> adjust(List<Counter> counters, long[] deltas) {
        Future<Void> flushed = nextFlush.get().future();
        for (int i = 0; i < counters.size(); i++) {
            unsettled.merge(counters.get(i).key(), deltas[i], Long::sum);
        }
        return flushed;
    }

    /** Sends every queued delta; each key is taken out of the queue atomically, so no delta is lost or sent twice. */
    private Future<Void> flush() {
        Promise<Void> flushed = nextFlush.getAndSet(Promise.promise());
        List<Future<Response>> sent = new ArrayList<>();
        List<String> keys = new ArrayList<>(SETTLE_BATCH);
        List<String> args = new ArrayList<>(SETTLE_BATCH);
        for (String key : unsettled.keySet()) {
            Long delta = unsettled.remove(key);
            if (delta == null || delta == 0) {
                continue;
            }
            keys.add(key);
            args.add(Long.toString(delta));
            if (keys.size() == SETTLE_BATCH) {
                sent.add(run(settleSha, SETTLE, keys, args));
                keys = new ArrayList<>(SETTLE_BATCH);
                args = new ArrayList<>(SETTLE_BATCH);
            }
        }
        if (!keys.isEmpty()) {
            sent.add(run(settleSha, SETTLE, keys, args));
        }
        Future.all(sent).<Void>mapEmpty().onComplete(flushed);
        return flushed.future();
    }

    /** EVALSHA, falling back to EVAL (which caches the script again) when Redis lost its script cache. */
    private Future<Response> run(String sha, String script, List<String> keys, List<String> args) {
        return send(evaluate(Request.cmd(Command.EVALSHA).arg(sha), keys, args)).recover(failure -> {
            String message = failure.getMessage();
            if (message != null && message.startsWith("NOSCRIPT")) {
                return send(evaluate(Request.cmd(Command.EVAL).arg(script), keys, args));
            }
            return Future.failedFuture(failure);
        });
    }

    private static Request evaluate(Request request, List<String> keys, List<String> args) {
        request.arg(keys.size());
        keys.forEach(request::arg);
        args.forEach(request::arg);
        return request;
    }

    /** Sends on the current event loop's connection, or through the backend's own loop when called off every loop. */
    private Future<Response> send(Request request) {
        Context context = Vertx.currentContext();
        if (context == null || !context.isEventLoopContext()) {
            Promise<Response> answer = Promise.promise();
            home.runOnContext(ignored -> send(request).onComplete(answer));
            return answer.future();
        }
        return connectionOf(Thread.currentThread()).compose(connection -> connection.send(request))
                .timeout(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    private Future<RedisConnection> connectionOf(Thread eventLoop) {
        Link link = links.computeIfAbsent(eventLoop, ignored -> new Link());
        Future<RedisConnection> current = link.connection;
        if (current != null && !current.failed()) {
            return current;
        }
        long now = System.currentTimeMillis();
        if (current != null && now - link.failedAtMillis < RECONNECT_PAUSE_MILLIS) {
            return current;
        }
        Future<RedisConnection> connecting = client.connect().map(connection -> {
            connection.exceptionHandler(failure -> drop(eventLoop, link));
            connection.endHandler(ignored -> drop(eventLoop, link));
            return connection;
        });
        connecting.onFailure(failure -> link.failedAtMillis = System.currentTimeMillis());
        link.connection = connecting;
        return connecting;
    }

    /** Forgets a broken connection, so the loop's next call opens a new one. */
    private void drop(Thread eventLoop, Link link) {
        links.remove(eventLoop, link);
    }

    private static String script(String name) {
        try (InputStream in = RedisLimitBackend.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Sends what is still queued (waiting up to the command timeout), then disconnects. Call it off any event loop,
     * while Vert.x still runs.
     */
    @Override
    public void close() {
        Promise<Void> flushed = Promise.promise();
        home.runOnContext(ignored -> {
            vertx.cancelTimer(flushTimer);
            flush().onComplete(flushed);
        });
        try {
            flushed.future().await(timeoutMillis * 2, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            // Reservations not settled stay charged until their window ends: the safe side.
        }
        client.close();
    }
}
