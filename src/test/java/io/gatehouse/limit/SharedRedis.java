package io.gatehouse.limit;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The real Redis at 127.0.0.1:6379 as limit tests use it: each test counts under a key prefix of its own, read and
 * removed through this connection, so tests never see each other's counters.
 */
final class SharedRedis implements AutoCloseable {
    static final String URL = "redis://127.0.0.1:6379";

    private final RedisClient client = RedisClient.create(URL);
    private final StatefulRedisConnection<String, String> connection = client.connect();
    final String prefix = "gatehouse-test:limit:" + UUID.randomUUID() + ":";

    RedisCommands<String, String> commands() {
        return connection.sync();
    }

    /** The value of the one key under this test's prefix that contains {@code part}. */
    long valueOfKeyContaining(String part) {
        String found = null;
        for (String key : keys()) {
            if (key.contains(part)) {
                if (found != null) {
                    throw new AssertionError("more than one key contains " + part + ": " + found + ", " + key);
                }
                found = key;
            }
        }
        if (found == null) {
            throw new AssertionError("no key contains " + part + " among " + keys());
        }
        return Long.parseLong(commands().get(found));
    }

    List<String> keys() {
        List<String> keys = new ArrayList<>();
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            KeyScanCursor<String> page = commands().scan(cursor, ScanArgs.Builder.matches(prefix + "*").limit(500));
            keys.addAll(page.getKeys());
            cursor = page;
        } while (!cursor.isFinished());
        return keys;
    }

    @Override
    public void close() {
        List<String> keys = keys();
        if (!keys.isEmpty()) {
            commands().del(keys.toArray(String[]::new));
        }
        connection.close();
        client.shutdown();
    }
}
