package io.gatehouse.limit;

import io.vertx.core.Future;

import java.util.List;

/** Where counters live. Implementations never block the caller: results come back as futures. */
interface LimitBackend extends AutoCloseable {

    /**
     * Checks and charges every counter of one call as one atomic step: when {@code enforce} is set and any counter
     * would go past its limit ({@link Counter#exceededBy}), nothing is charged; otherwise each counter's amount is
     * added. Completes with each counter's value before this call, so the caller can tell which limit refused it and
     * what remains. Called on the call's event loop, it completes there.
     */
    Future<long[]> reserve(List<Counter> counters, boolean enforce);

    /**
     * Adds {@code deltas[i]} (negative to give back) to {@code counters[i]}: a call's reservation settled against what
     * it really used. A counter whose window is long gone is left alone. A backend may gather settlements and apply
     * them a moment later; the future completes once they are applied.
     */
    Future<Void> adjust(List<Counter> counters, long[] deltas);

    @Override
    void close();
}
