package io.gatehouse.recording;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Writes records off the request path. {@link #offer} never blocks: it puts the record in a bounded queue, or,
 * when the queue is full, sheds it and counts it in {@code gatehouse_recorder_dropped_total{recorder}}. One thread of
 * its own takes the records in batches, has the {@link RecordSink} serialise and write them, and flushes after each
 * batch; {@code gatehouse_recorder_written_total{recorder}} counts what reached the operating system.
 * {@link #close()} writes everything accepted before it, forces it to the disk and closes the files.
 *
 * <p>The queue takes no lock, and the writer is woken only when it has nothing left to do: while records keep
 * coming it sleeps {@link #LINGER_NANOS} between batches instead, so under load a record costs the caller no
 * system call and the writer one wake-up per batch rather than one per record. A record reaches the operating system
 * within about that long after it was offered.
 *
 * <p>Records must be immutable (or no longer touched by whoever offered them): the writer thread reads them later.
 */
public final class AsyncRecordWriter<R> implements AutoCloseable {
    public static final int DEFAULT_QUEUE_SIZE = 10_000;
    static final int MAX_BATCH = 512;
    /** How long the writer waits for more records after a batch that did not fill up. */
    static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    private static final Logger LOG = LoggerFactory.getLogger(AsyncRecordWriter.class);
    /** Put behind the last record by {@link #close()}; the queue itself is unbounded so that it always fits. */
    private static final Object END = new Object();
    private static final long WARNING_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final long CLOSE_TIMEOUT_SECONDS = 60;

    private final String name;
    private final RecordSink<R> sink;
    private final int capacity;
    private final Queue<Object> queue = new ConcurrentLinkedQueue<>();
    /** Records accepted and not yet taken; the bound is kept here so that {@link #END} never competes for room. */
    private final AtomicInteger queued = new AtomicInteger();
    private final Counter written;
    private final Counter dropped;
    private final AtomicLong lastWarningNanos = new AtomicLong(System.nanoTime() - WARNING_INTERVAL_NANOS);
    private final Thread thread;
    /** Set while the writer waits with nothing to write: only then does an offer wake it. */
    private volatile boolean idle;
    private volatile boolean closed;

    /**
     * @param name     the recorder's name: the metrics' {@code recorder} tag, the thread's name, log lines
     * @param capacity records that may wait; more are shed
     */
    public AsyncRecordWriter(String name, RecordSink<R> sink, int capacity, MeterRegistry meters) {
        if (capacity < 1) {
            throw new IllegalArgumentException("queue_size must be at least 1");
        }
        this.name = name;
        this.sink = sink;
        this.capacity = capacity;
        this.written = Counter.builder("gatehouse_recorder_written")
                .description("Records a recorder handed to the operating system").tag("recorder", name).register(meters);
        this.dropped = Counter.builder("gatehouse_recorder_dropped")
                .description("Records a recorder shed because its queue was full, or lost to a write error")
                .tag("recorder", name).register(meters);
        Gauge.builder("gatehouse_recorder_queued", queued, AtomicInteger::get)
                .description("Records waiting in a recorder's queue").tag("recorder", name).register(meters);
        this.thread = Thread.ofPlatform().name("gatehouse-recorder-" + name).daemon(true).start(this::run);
    }

    /** Queues the record for writing; false when it was shed (queue full, or the writer closed). Never blocks. */
    public boolean offer(R record) {
        if (closed) {
            shed(1, "it is closed");
            return false;
        }
        if (queued.incrementAndGet() > capacity) {
            queued.decrementAndGet();
            shed(1, "its queue of " + capacity + " is full");
            return false;
        }
        queue.add(record);
        if (idle) {
            LockSupport.unpark(thread);
        }
        return true;
    }

    public long written() {
        return (long) written.count();
    }

    public long dropped() {
        return (long) dropped.count();
    }

    /**
     * Writes everything accepted so far, forces it to the disk and closes the sink. Whoever offers records must have
     * stopped (the gateway closes recorders after its servers); a record offered from now on is shed and counted.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        queue.add(END);
        LockSupport.unpark(thread);
        try {
            thread.join(TimeUnit.SECONDS.toMillis(CLOSE_TIMEOUT_SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warn("Recorder {} did not finish writing within {} s; {} records are still queued", name,
                    CLOSE_TIMEOUT_SECONDS, queued.get());
        }
        LOG.info("Recorder {} closed: {} records written, {} dropped", name, written(), dropped());
    }

    @SuppressWarnings("unchecked")
    private void run() {
        List<Object> batch = new ArrayList<>(MAX_BATCH);
        boolean ending = false;
        try {
            while (!ending) {
                takeBatch(batch);
                int inBatch = 0;
                for (Object item : batch) {
                    if (item == END) {
                        ending = true;
                    } else {
                        queued.decrementAndGet();
                        inBatch += write((R) item) ? 1 : 0;
                    }
                }
                boolean full = batch.size() == MAX_BATCH;
                batch.clear();
                if (ending) {
                    // Nothing should follow END, but a record that raced close() is written rather than lost.
                    for (Object item; (item = queue.poll()) != null; ) {
                        queued.decrementAndGet();
                        inBatch += write((R) item) ? 1 : 0;
                    }
                }
                flush(inBatch);
                if (!full && !ending && !closed) {
                    LockSupport.parkNanos(this, LINGER_NANOS);
                }
            }
        } catch (InterruptedException e) {
            LOG.warn("Recorder {} was interrupted; {} queued records are lost", name, queued.get());
            shed(queued.getAndSet(0), "it was interrupted");
        } finally {
            try {
                sink.close();
            } catch (IOException | RuntimeException e) {
                LOG.warn("Recorder {} could not close its files: {}", name, e.toString());
            }
        }
    }

    /** Up to {@link #MAX_BATCH} records, waiting for the first as long as it takes. */
    private void takeBatch(List<Object> batch) throws InterruptedException {
        for (Object item; batch.size() < MAX_BATCH && (item = queue.poll()) != null; ) {
            batch.add(item);
        }
        while (batch.isEmpty()) {
            idle = true;
            // Looked at again after saying so: a record offered before the flag was seen is not left waiting.
            Object item = queue.poll();
            if (item == null) {
                LockSupport.park(this);
                if (Thread.interrupted()) {
                    idle = false;
                    throw new InterruptedException();
                }
                item = queue.poll();
            }
            idle = false;
            if (item != null) {
                batch.add(item);
            }
        }
    }

    private boolean write(R record) {
        try {
            sink.write(record);
            return true;
        } catch (IOException | RuntimeException e) {
            shed(1, "writing failed: " + e);
            return false;
        }
    }

    private void flush(int records) {
        try {
            sink.flush();
            written.increment(records);
        } catch (IOException | RuntimeException e) {
            shed(records, "flushing failed: " + e);
        }
    }

    private void shed(long records, String why) {
        if (records <= 0) {
            return;
        }
        dropped.increment(records);
        long now = System.nanoTime();
        long last = lastWarningNanos.get();
        if (now - last >= WARNING_INTERVAL_NANOS && lastWarningNanos.compareAndSet(last, now)) {
            LOG.warn("Recorder {} dropped records because {} ({} dropped so far)", name, why, dropped());
        }
    }
}
