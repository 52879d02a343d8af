package io.gatehouse.limit;

import io.gatehouse.pipeline.Call;
import io.gatehouse.pipeline.CallEnd;
import io.gatehouse.pipeline.ProxyRequest;
import io.gatehouse.pipeline.ProxyResponse;

/**
 * How token limits and budgets learn what a call costs: the most it can cost, reserved before it goes upstream, and
 * what it really cost, settled once it has ended. {@link UsageSpendMeter} prices the usage the response reports from
 * {@code limits.prices}; the cost package's estimator and per-call cost plug in here in its place.
 *
 * <p>Called on the call's event loop: must not block.
 */
public interface SpendMeter {

    /**
     * The most the call can use: its input plus the most output it allows, priced. Reserved against token limits and
     * budgets, so concurrent calls cannot overshoot them by more than what this underestimates.
     */
    Spend maximum(ProxyRequest request);

    /** Attaches what it needs to the response (an observer, a stream assembler) to learn the call's usage. */
    void observe(Call call, ProxyRequest request, ProxyResponse response);

    /**
     * What the call used, once it has ended: completed, failed, or abandoned by the client (a stream is charged for
     * what it carried). {@code maximum} is what {@link #maximum} reserved for it.
     */
    Spend actual(CallEnd end, Spend maximum);
}
