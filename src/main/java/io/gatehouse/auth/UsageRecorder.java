package io.gatehouse.auth;

import io.gatehouse.store.KeyUsageCounts;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the requests of keys without a quota in memory and adds them to the database in one batch per
 * {@link #flush}, so that such requests cost no database write each. Their {@code request_count} therefore lags
 * by up to one flush period; keys with a quota are counted exactly, by the atomic consume.
 */
public final class UsageRecorder {
    private static final Logger LOG = LoggerFactory.getLogger(UsageRecorder.class);

    private final KeyUsageCounts store;
    /** One counter per key ever used since start: bounded by the number of keys. */
    private final ConcurrentMap<String, AtomicLong> unflushed = new ConcurrentHashMap<>();

    public UsageRecorder(KeyUsageCounts store) {
        this.store = store;
    }

    public void record(String keyId) {
        unflushed.computeIfAbsent(keyId, id -> new AtomicLong()).incrementAndGet();
    }

    /** Writes what was counted since the last flush; a failed write puts the counts back for the next one. */
    public Future<Void> flush() {
        Map<String, Long> batch = new HashMap<>();
        unflushed.forEach((keyId, count) -> {
            long requests = count.getAndSet(0);
            if (requests > 0) {
                batch.put(keyId, requests);
            }
        });
        if (batch.isEmpty()) {
            return Future.succeededFuture();
        }
        return store.add(batch).onFailure(e -> {
            LOG.warn("could not write the usage of {} keys, retrying with the next flush: {}", batch.size(), e.getMessage());
            batch.forEach((keyId, requests) -> unflushed.computeIfAbsent(keyId, id -> new AtomicLong()).addAndGet(requests));
        });
    }
}
