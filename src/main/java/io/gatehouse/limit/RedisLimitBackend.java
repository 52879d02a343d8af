package io.gatehouse.limit;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Counters in a Redis shared by every gateway instance, so limits hold across them exactly. A call costs one round
 * trip before it goes upstream: the {@code reserve.lua} script checks and charges all its counters atomically.
 * Settlements of ended calls are summed per counter and sent together every {@value #SETTLE_INTERVAL_MILLIS} ms in one
 * {@code settle.lua} script, so under load they cost a fraction of a round trip per call; until then a reservation
 * stays charged, which errs on the safe side.
 *
 * <p>Lettuce's one connection carries the commands of every event loop, pipelined. Commands time out after
 * {@code timeout}, and while Redis is unreachable they fail at once instead of queueing, so a call never waits on
 * Redis longer than that. The keys of one call must live on one node: Redis Cluster is not supported.
 */
final class RedisLimitBackend implements LimitBackend {
    private static final String RESERVE = script("reserve.lua");
    private static final String SETTLE = script("settle.lua");
    static final long SETTLE_INTERVAL_MILLIS = 20;
    /** Counters per settle script, so one flush never holds Redis for long. */
    private static final int SETTLE_BATCH = 256;

    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    private final RedisAsyncCommands<String, String> commands;
    private final String reserveSha;
    private final String settleSha;
    /** Deltas not yet sent, summed per counter key. */
    private final ConcurrentMap<String, Long> unsettled = new ConcurrentHashMap<>();
    /** Completes when the next flush has been applied (or failed): what {@link #adjust} hands its callers. */
    private final AtomicReference<CompletableFuture<Void>> nextFlush = new AtomicReference<>(new CompletableFuture<>());
    private final ScheduledFuture<?> flusher;

    private RedisLimitBackend(RedisClient client, StatefulRedisConnection<String, String> connection, String reserveSha,
                              String settleSha) {
        this.client = client;
        this.connection = connection;
        this.commands = connection.async();
        this.reserveSha = reserveSha;
        this.settleSha = settleSha;
        this.flusher = client.getResources().eventExecutorGroup().scheduleAtFixedRate(this::flush,
                SETTLE_INTERVAL_MILLIS, SETTLE_INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * Connects and loads the scripts; blocking, so call it at startup.
     *
     * @param redisUrl {@code redis://[[user:]password@]host[:port][/db]}
     * @throws IllegalStateException naming the host (never the password) when Redis cannot be reached
     */
    static RedisLimitBackend connect(String redisUrl, Duration timeout) {
        RedisURI uri;
        try {
            uri = RedisURI.create(redisUrl);
        } catch (IllegalArgumentException e) {
            // Lettuce's message repeats the URL, password included.
            throw new IllegalArgumentException("redis.url is not a Redis URL: expected redis://[[user:]password@]host[:port][/db]");
        }
        uri.setTimeout(timeout);
        RedisClient client = RedisClient.create(uri);
        client.setOptions(ClientOptions.builder()
                .timeoutOptions(TimeoutOptions.enabled(timeout))
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .build());
        try {
            StatefulRedisConnection<String, String> connection = client.connect();
            return new RedisLimitBackend(client, connection, connection.sync().scriptLoad(RESERVE),
                    connection.sync().scriptLoad(SETTLE));
        } catch (RuntimeException e) {
            client.shutdown();
            throw new IllegalStateException("limits: cannot reach Redis at " + uri.getHost() + ":" + uri.getPort()
                    + " (" + e.getClass().getSimpleName() + ")", e);
        }
    }

    @Override
    public CompletionStage<long[]> reserve(List<Counter> counters, boolean enforce) {
        String[] keys = new String[counters.size()];
        String[] args = new String[1 + 3 * counters.size()];
        args[0] = enforce ? "1" : "0";
        for (int i = 0; i < counters.size(); i++) {
            Counter counter = counters.get(i);
            keys[i] = counter.key();
            args[3 * i + 1] = Long.toString(counter.amount());
            args[3 * i + 2] = Long.toString(counter.limit());
            args[3 * i + 3] = Long.toString(counter.expireAtMillis());
        }
        return this.<List<Long>>run(reserveSha, RESERVE, ScriptOutputType.MULTI, keys, args).thenApply(values -> {
            long[] before = new long[values.size()];
            for (int i = 0; i < before.length; i++) {
                before[i] = values.get(i);
            }
            return before;
        });
    }

    /** Queues the deltas for the next flush; completes once that flush has been applied. */
    @Override
    public CompletionStage<Void> adjust(List<Counter> counters, long[] deltas) {
        CompletableFuture<Void> flushed = nextFlush.get();
        for (int i = 0; i < counters.size(); i++) {
            unsettled.merge(counters.get(i).key(), deltas[i], Long::sum);
        }
        return flushed;
    }

    /** Sends every queued delta; each key is taken out of the queue atomically, so no delta is lost or sent twice. */
    private CompletableFuture<Void> flush() {
        CompletableFuture<Void> flushed = nextFlush.getAndSet(new CompletableFuture<>());
        List<CompletableFuture<Long>> sent = new ArrayList<>();
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
                sent.add(settle(keys, args));
                keys.clear();
                args.clear();
            }
        }
        if (!keys.isEmpty()) {
            sent.add(settle(keys, args));
        }
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).whenComplete((ignored, failure) -> {
            if (failure == null) {
                flushed.complete(null);
            } else {
                flushed.completeExceptionally(failure);
            }
        });
        return flushed;
    }

    private CompletableFuture<Long> settle(List<String> keys, List<String> args) {
        return this.<Long>run(settleSha, SETTLE, ScriptOutputType.INTEGER, keys.toArray(String[]::new),
                args.toArray(String[]::new)).toCompletableFuture();
    }

    /** EVALSHA, falling back to EVAL (which caches the script again) when Redis lost its script cache. */
    private <T> CompletionStage<T> run(String sha, String script, ScriptOutputType type, String[] keys, String[] args) {
        CompletionStage<T> first = commands.evalsha(sha, type, keys, args);
        return first.handle((value, failure) -> {
            if (failure == null) {
                return CompletableFuture.completedFuture(value);
            }
            Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
            if (cause instanceof RedisNoScriptException) {
                return commands.<T>eval(script, type, keys, args).toCompletableFuture();
            }
            return CompletableFuture.<T>failedFuture(cause);
        }).thenCompose(stage -> stage);
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

    /** Sends what is still queued (waiting up to the command timeout), then disconnects. */
    @Override
    public void close() {
        flusher.cancel(false);
        try {
            flush().get(connection.getTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // Reservations not settled stay charged until their window ends: the safe side.
        }
        connection.close();
        client.shutdown();
    }
}
