package io.gatehouse.limit;

import java.time.Instant;

/**
 * One counter a call is checked against and charged to: a constraint's meter for the call's dimension values in the
 * current window.
 *
 * @param key         the backend key: prefix, constraint, meter, window, dimension values and window start
 * @param scope       the call's dimension values as people read them ({@code user=alice, team=search}); "" for none
 * @param amount      what this call adds (1 request, its reserved tokens or nano-USD)
 * @param windowEnd   when the window ends and the counter starts again from zero
 */
record Counter(Constraint constraint, Meter meter, String key, String scope, long limit, long amount, Window window,
               Instant windowEnd) {

    /** True when adding this call's amount to {@code before} goes past the limit. A call that adds nothing always fits. */
    boolean exceededBy(long before) {
        return amount > 0 && before + amount > limit;
    }

    /** When the backend may forget the counter: the window's end plus the time late calls get to settle. */
    long expireAtMillis() {
        return windowEnd.plus(window.settleMargin()).toEpochMilli();
    }
}
