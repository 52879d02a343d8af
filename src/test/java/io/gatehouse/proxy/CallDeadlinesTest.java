package io.gatehouse.proxy;

import io.netty.util.Timeout;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

class CallDeadlinesTest {
    private Vertx vertx;
    private CallDeadlines deadlines;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        deadlines = new CallDeadlines();
    }

    @AfterEach
    void stop() throws Exception {
        deadlines.close();
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    @Test
    void anExpiredDeadlineRunsItsActionOnTheCallsContextNoEarlierThanDue() throws Exception {
        Context context = vertx.getOrCreateContext();
        CompletableFuture<Boolean> ranOnContext = new CompletableFuture<>();
        long setAt = System.nanoTime();
        deadlines.after(50, context, () -> ranOnContext.complete(Vertx.currentContext() == context));

        assertThat(ranOnContext.get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - setAt)).isGreaterThanOrEqualTo(50);
    }

    @Test
    void aCancelledDeadlineNeverRuns() throws Exception {
        AtomicBoolean ran = new AtomicBoolean();
        Timeout deadline = deadlines.after(20, vertx.getOrCreateContext(), () -> ran.set(true));
        CallDeadlines.cancel(deadline);
        // A later deadline on the same wheel firing shows the wheel went past the cancelled one's tick.
        CompletableFuture<Void> later = new CompletableFuture<>();
        deadlines.after(100, vertx.getOrCreateContext(), () -> later.complete(null));

        later.get(5, TimeUnit.SECONDS);
        assertThat(ran).isFalse();
    }

    @Test
    void afterCloseNoDeadlineIsSetAndCancellingNothingIsHarmless() {
        deadlines.close();

        Timeout deadline = deadlines.after(10, vertx.getOrCreateContext(), () -> {
        });

        assertThat(deadline).isNull();
        CallDeadlines.cancel(deadline);
    }
}
