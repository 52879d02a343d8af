package io.gatehouse.store;

import io.vertx.core.Future;

import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;

/**
 * Adds requests counted in memory to the keys' {@code request_count} and {@code last_used_at}, in one batch. Keys
 * without a quota are counted this way, so that authenticating their requests costs no database write each; keys
 * with a quota are counted by {@link VirtualKeyRepository#consume}, which must be exact.
 */
public final class KeyUsageCounts {
    private final Database database;
    private final Clock clock;

    public KeyUsageCounts(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    /** @param requestsByKeyId key id to the requests it served since the last call */
    public Future<Void> add(Map<String, Long> requestsByKeyId) {
        Instant now = Instant.ofEpochMilli(clock.millis());
        return database.inTransaction(connection -> {
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE virtual_keys SET request_count = request_count + ?, last_used_at = ? WHERE id = ?")) {
                for (Map.Entry<String, Long> usage : requestsByKeyId.entrySet()) {
                    update.setLong(1, usage.getValue());
                    Sql.setInstant(update, 2, now);
                    update.setString(3, usage.getKey());
                    update.addBatch();
                }
                update.executeBatch();
            }
            return null;
        });
    }
}
