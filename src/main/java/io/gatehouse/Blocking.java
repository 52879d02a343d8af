package io.gatehouse;

import io.vertx.core.Future;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waits on Vert.x futures from the command's own (non-event-loop) thread. */
public final class Blocking {
    private static final long TIMEOUT_SECONDS = 60;

    private Blocking() {
    }

    public static <T> T await(Future<T> future) {
        return await(future, TIMEOUT_SECONDS);
    }

    public static <T> T await(Future<T> future, long timeoutSeconds) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(timeoutSeconds, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("timed out after " + timeoutSeconds + " s", e);
        }
    }
}
