package io.gatehouse.limit;

import io.vertx.core.Future;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counters in this instance's memory, shared by its event loops without locks: each counter is charged with a
 * compare-and-set that never takes it past its limit, and a call refused by a later counter gives back what it took
 * from the earlier ones. No counter ever exceeds its limit; under contention at the very edge, a call may be refused
 * by a unit another call held for an instant and gave back. Windows past their settle margin are swept every
 * {@value #SWEEP_EVERY} calls.
 */
final class MemoryLimitBackend implements LimitBackend {
    private static final int SWEEP_EVERY = 4096;

    private final ConcurrentMap<String, Slot> slots = new ConcurrentHashMap<>();
    private final AtomicLong calls = new AtomicLong();
    private final Clock clock;

    MemoryLimitBackend(Clock clock) {
        this.clock = clock;
    }

    private record Slot(AtomicLong value, long expireAtMillis) {
    }

    @Override
    public Future<long[]> reserve(List<Counter> counters, boolean enforce) {
        if (calls.incrementAndGet() % SWEEP_EVERY == 0) {
            long now = clock.millis();
            slots.values().removeIf(slot -> slot.expireAtMillis() < now);
        }
        long[] before = new long[counters.size()];
        for (int i = 0; i < counters.size(); i++) {
            Counter counter = counters.get(i);
            AtomicLong value = slotOf(counter).value();
            if (!enforce) {
                before[i] = value.getAndAdd(counter.amount());
                continue;
            }
            long current;
            do {
                current = value.get();
            } while (!counter.exceededBy(current) && !value.compareAndSet(current, current + counter.amount()));
            before[i] = current;
            if (counter.exceededBy(current)) {
                giveBack(counters, i);
                for (int j = i + 1; j < counters.size(); j++) {
                    before[j] = slotOf(counters.get(j)).value().get();
                }
                break;
            }
        }
        return Future.succeededFuture(before);
    }

    /** Undoes the charges of the first {@code count} counters. */
    private void giveBack(List<Counter> counters, int count) {
        for (int j = 0; j < count; j++) {
            slotOf(counters.get(j)).value().addAndGet(-counters.get(j).amount());
        }
    }

    @Override
    public Future<Void> adjust(List<Counter> counters, long[] deltas) {
        for (int i = 0; i < counters.size(); i++) {
            Slot slot = slots.get(counters.get(i).key());
            if (slot != null) {
                slot.value().addAndGet(deltas[i]);
            }
        }
        return Future.succeededFuture();
    }

    private Slot slotOf(Counter counter) {
        return slots.computeIfAbsent(counter.key(), key -> new Slot(new AtomicLong(), counter.expireAtMillis()));
    }

    @Override
    public void close() {
        slots.clear();
    }
}
