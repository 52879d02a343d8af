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
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * Counters in a Redis shared by every gateway instance, so limits hold across them exactly. A call costs one round
 * trip before it goes upstream (the {@code reserve.lua} script checks and charges all its counters atomically) and
 * one after it ended, when it has a reservation to settle ({@code settle.lua}).
 *
 * <p>Lettuce's one connection carries the commands of every event loop, pipelined. Commands time out after
 * {@code timeout}, and while Redis is unreachable they fail at once instead of queueing, so a call never waits on
 * Redis longer than that. The keys of one call must live on one node: Redis Cluster is not supported.
 */
final class RedisLimitBackend implements LimitBackend {
    private static final String RESERVE = script("reserve.lua");
    private static final String SETTLE = script("settle.lua");

    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    private final RedisAsyncCommands<String, String> commands;
    private final String reserveSha;
    private final String settleSha;

    private RedisLimitBackend(RedisClient client, StatefulRedisConnection<String, String> connection, String reserveSha,
                              String settleSha) {
        this.client = client;
        this.connection = connection;
        this.commands = connection.async();
        this.reserveSha = reserveSha;
        this.settleSha = settleSha;
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

    @Override
    public CompletionStage<Void> adjust(List<Counter> counters, long[] deltas) {
        String[] keys = new String[counters.size()];
        String[] args = new String[counters.size()];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = counters.get(i).key();
            args[i] = Long.toString(deltas[i]);
        }
        return this.<Long>run(settleSha, SETTLE, ScriptOutputType.INTEGER, keys, args).thenApply(ignored -> null);
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

    @Override
    public void close() {
        connection.close();
        client.shutdown();
    }
}
