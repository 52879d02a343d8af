package io.gatehouse.cli;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Keeps a long-running command alive until Ctrl-C (or {@link #stop()}), then closes what it started, newest
 * first. The JVM's shutdown waits for that closing, so in-flight requests can finish.
 */
final class Lifetime {
    private static final Logger LOG = LoggerFactory.getLogger(Lifetime.class);

    private final CountDownLatch stopRequested = new CountDownLatch(1);

    void runUntilStopped(List<AutoCloseable> resources) {
        CountDownLatch closed = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop();
            awaitUninterruptibly(closed);
        }, "gatehouse-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            awaitUninterruptibly(stopRequested);
        } finally {
            for (int i = resources.size() - 1; i >= 0; i--) {
                closeQuietly(resources.get(i));
            }
            closed.countDown();
            removeHook(hook);
        }
    }

    void stop() {
        stopRequested.countDown();
    }

    private static void closeQuietly(AutoCloseable resource) {
        try {
            resource.close();
        } catch (Exception e) {
            LOG.warn("Error while shutting down: {}", e.toString());
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shutdownInProgress) {
            // The JVM is already exiting and the hook is running: nothing to undo.
        }
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
