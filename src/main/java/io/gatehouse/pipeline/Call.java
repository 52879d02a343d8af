package io.gatehouse.pipeline;

import io.vertx.core.MultiMap;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One client request on its way through the gateway: an id for logs and correlation, the time it
 * arrived, and a place where interceptors leave things for each other (or for themselves at the end).
 */
public final class Call {
    /** The attribute holding the client's IP address (a String), for audit entries about the call. */
    public static final String CLIENT_ADDRESS = "gatehouse.client-address";
    /**
     * The attribute holding the model id the client asked for (a String), when routing replaced it with the
     * provider's own name for the model: what a key's allowed models are checked against.
     */
    public static final String REQUESTED_MODEL = "gatehouse.requested-model";

    private final String id;
    private final long startNanos;
    private final Map<String, Object> attributes = new ConcurrentHashMap<>(4);
    private MultiMap responseHeaders;
    private long upstreamNanos;
    private boolean cancelled;
    private Runnable onCancel;

    public Call(String id, long startNanos) {
        this.id = id;
        this.startNanos = startNanos;
    }

    public String id() {
        return id;
    }

    public long startNanos() {
        return startNanos;
    }

    @SuppressWarnings("unchecked")
    public <T> T attribute(String key) {
        return (T) attributes.get(key);
    }

    public void attribute(String key, Object value) {
        attributes.put(key, value);
    }

    /**
     * Headers the gateway adds to whatever response this call gets: the upstream's, one an interceptor made,
     * or an error the gateway answers with. They replace same-named headers of that response. Event-loop only.
     */
    public MultiMap responseHeaders() {
        if (responseHeaders == null) {
            responseHeaders = MultiMap.caseInsensitiveMultiMap();
        }
        return responseHeaders;
    }

    /** True when an interceptor added {@link #responseHeaders()}; spares the map on calls that have none. */
    public boolean hasResponseHeaders() {
        return responseHeaders != null && !responseHeaders.isEmpty();
    }

    /** Time spent waiting for upstream response headers, so the gateway's own overhead can be told apart. */
    public long upstreamNanos() {
        return upstreamNanos;
    }

    public void addUpstreamNanos(long nanos) {
        upstreamNanos += nanos;
    }

    /** True once the client has gone away: work for this call is wasted from then on. */
    public boolean isCancelled() {
        return cancelled;
    }

    /**
     * Sets what to stop when the client goes away (an upstream request in flight, say); replaces the
     * previous action. Runs at once when the call is already cancelled. Event-loop only.
     */
    public void onCancel(Runnable action) {
        if (cancelled) {
            action.run();
        } else {
            onCancel = action;
        }
    }

    /** Marks the call cancelled and runs its cancel action. Event-loop only. */
    public void cancel() {
        if (cancelled) {
            return;
        }
        cancelled = true;
        Runnable action = onCancel;
        onCancel = null;
        if (action != null) {
            action.run();
        }
    }
}
