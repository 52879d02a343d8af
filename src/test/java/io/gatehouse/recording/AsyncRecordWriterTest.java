package io.gatehouse.recording;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class AsyncRecordWriterTest {

    /** A sink whose first write waits until released, like a disk that has stalled. */
    private static final class StalledSink implements RecordSink<Integer> {
        final CountDownLatch writing = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final List<Integer> written = new CopyOnWriteArrayList<>();
        final List<Integer> flushedUpTo = new CopyOnWriteArrayList<>();
        volatile boolean closed;

        @Override
        public void write(Integer record) throws IOException {
            writing.countDown();
            try {
                if (!release.await(10, TimeUnit.SECONDS)) {
                    throw new IOException("never released");
                }
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
            written.add(record);
        }

        @Override
        public void flush() {
            flushedUpTo.add(written.size());
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    @Test
    void aFullQueueShedsAndCountsWithoutBlockingTheCaller() throws Exception {
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        StalledSink sink = new StalledSink();
        AsyncRecordWriter<Integer> writer = new AsyncRecordWriter<>("test_recorder", sink, 3, meters);

        assertThat(writer.offer(0)).isTrue();
        assertThat(sink.writing.await(5, TimeUnit.SECONDS)).as("the writer holds record 0").isTrue();
        // Record 0 is in the stalled sink; three more fit in the queue, the rest are shed at once.
        List<Boolean> accepted = IntStream.rangeClosed(1, 10).mapToObj(writer::offer).toList();

        assertThat(accepted).containsExactly(true, true, true, false, false, false, false, false, false, false);
        assertThat(sink.written).as("every offer returned while the disk was still stalled").isEmpty();
        assertThat(writer.dropped()).isEqualTo(7);
        assertThat(meters.scrape())
                .contains("gatehouse_recorder_dropped_total{recorder=\"test_recorder\"} 7.0")
                .contains("gatehouse_recorder_queued{recorder=\"test_recorder\"} 3.0");

        sink.release.countDown();
        writer.close();
        assertThat(sink.written).containsExactly(0, 1, 2, 3);
        assertThat(sink.closed).isTrue();
        assertThat(writer.written()).isEqualTo(4);
        assertThat(meters.scrape()).contains("gatehouse_recorder_written_total{recorder=\"test_recorder\"} 4.0");
    }

    @Test
    void closeWritesEverythingAcceptedAndFlushesBeforeClosing() {
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        StalledSink sink = new StalledSink();
        sink.release.countDown();
        AsyncRecordWriter<Integer> writer = new AsyncRecordWriter<>("drain", sink, 100_000, meters);
        for (int i = 0; i < 5_000; i++) {
            assertThat(writer.offer(i)).isTrue();
        }
        writer.close();
        assertThat(sink.written).hasSize(5_000).startsWith(0, 1, 2).endsWith(4_998, 4_999);
        assertThat(sink.flushedUpTo).last().isEqualTo(5_000);
        assertThat(sink.closed).isTrue();
        assertThat(writer.dropped()).isZero();
        // Once closed, a late record is counted, not silently lost.
        assertThat(writer.offer(5_000)).isFalse();
        assertThat(writer.dropped()).isEqualTo(1);
    }

    @Test
    void aFailingWriteIsCountedAsDroppedAndTheWriterCarriesOn() {
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        List<Integer> written = new CopyOnWriteArrayList<>();
        RecordSink<Integer> sink = new RecordSink<>() {
            @Override
            public void write(Integer record) throws IOException {
                if (record == 1) {
                    throw new IOException("disk full");
                }
                written.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        AsyncRecordWriter<Integer> writer = new AsyncRecordWriter<>("failing", sink, 10, meters);
        writer.offer(0);
        writer.offer(1);
        writer.offer(2);
        await().atMost(5, TimeUnit.SECONDS).until(() -> written.size() == 2);
        writer.close();
        assertThat(written).containsExactly(0, 2);
        assertThat(writer.dropped()).isEqualTo(1);
        assertThat(writer.written()).isEqualTo(2);
    }
}
