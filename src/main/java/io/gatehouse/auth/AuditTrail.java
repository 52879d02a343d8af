package io.gatehouse.auth;

import io.gatehouse.store.AuditEntry;
import io.gatehouse.store.AuditLog;
import io.gatehouse.store.AuditRecord;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The audit log as the gateway's request paths use it. The management API awaits its own entries
 * ({@link #record}); the proxy path and failed management logins only {@link #offer} theirs, which queue for the
 * log's single writer and never hold up the request. That queue is bounded: a flood of failed logins must not
 * grow memory without end, so beyond {@link #MAX_PENDING} entries are shed, counted and logged.
 */
public final class AuditTrail {
    public static final int MAX_PENDING = 10_000;
    private static final Logger LOG = LoggerFactory.getLogger(AuditTrail.class);

    private final AuditLog log;
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicLong shed = new AtomicLong();

    public AuditTrail(AuditLog log) {
        this.log = log;
    }

    public AuditLog log() {
        return log;
    }

    /** Appends and completes when the entry is in the database. */
    public Future<AuditRecord> record(AuditEntry entry) {
        return log.append(entry);
    }

    /** Queues the entry and returns at once; sheds it when {@link #MAX_PENDING} entries are already waiting. */
    public void offer(AuditEntry entry) {
        if (pending.incrementAndGet() > MAX_PENDING) {
            pending.decrementAndGet();
            long total = shed.incrementAndGet();
            if (total == 1 || total % 1000 == 0) {
                LOG.warn("audit writer swamped: {} entries shed so far ({} waiting); the latest was {} {}", total,
                        MAX_PENDING, entry.action(), entry.outcome());
            }
            return;
        }
        log.append(entry).onComplete(appended -> {
            pending.decrementAndGet();
            if (appended.failed()) {
                LOG.error("audit entry {} {} could not be written: {}", entry.action(), entry.outcome(),
                        appended.cause().getMessage());
            }
        });
    }

    /**
     * Waits, up to {@code timeout}, until every offered entry has been written: at shutdown, so the database is not
     * closed under entries still queued. Blocking; never on an event loop.
     *
     * @return false when entries were still waiting at the deadline
     */
    boolean awaitWritten(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (pending.get() > 0) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    /** Entries dropped because the writer was swamped, since start. */
    public long shed() {
        return shed.get();
    }
}
