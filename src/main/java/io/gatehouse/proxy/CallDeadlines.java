package io.gatehouse.proxy;

import io.netty.util.HashedWheelTimer;
import io.netty.util.Timeout;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.vertx.core.Context;

import java.util.concurrent.TimeUnit;

/**
 * The deadlines of one gateway's calls in flight (an answer's first byte, a stream's next chunk), kept on one hashed
 * timer wheel. Almost every deadline is cancelled long before it is due, once per call or more, so setting and
 * cancelling one must cost next to nothing: on the wheel each is an allocation and a lock-free queue offer, where a
 * Vert.x timer puts and removes a map entry and a task on the event loop's scheduled-task heap each way (about 5% of
 * a plain call's CPU, measured). A deadline fires within one {@link #TICK_MILLIS} tick of when it is due, and its action
 * runs on the call's own context.
 */
final class CallDeadlines implements AutoCloseable {
    static final long TICK_MILLIS = 10;
    /** 512 ticks of 10 ms: one turn of the wheel is about 5 s, so a typical timeout goes round a few times. */
    private static final int TICKS_PER_WHEEL = 512;

    private final HashedWheelTimer wheel = new HashedWheelTimer(
            new DefaultThreadFactory("gatehouse-deadlines", true), TICK_MILLIS, TimeUnit.MILLISECONDS, TICKS_PER_WHEEL);

    /**
     * Runs {@code action} on {@code context} once {@code millis} have passed, unless the returned deadline is cancelled
     * first. After {@link #close()} no deadline is set (the gateway has stopped and cut its calls): null is returned,
     * which {@link #cancel} takes.
     */
    Timeout after(long millis, Context context, Runnable action) {
        try {
            return wheel.newTimeout(expired -> context.runOnContext(v -> action.run()), Math.max(1, millis),
                    TimeUnit.MILLISECONDS);
        } catch (IllegalStateException stopped) {
            return null;
        }
    }

    /** Cancels {@code deadline} when there is one; safe from any thread, and on a deadline that already fired. */
    static void cancel(Timeout deadline) {
        if (deadline != null) {
            deadline.cancel();
        }
    }

    /** Stops the wheel's thread; deadlines still pending never fire. */
    @Override
    public void close() {
        wheel.stop();
    }
}
