package io.gatehouse.cost;

import java.math.BigDecimal;
import java.util.Map;

/**
 * The usage and cost of one call, as the cost interceptor leaves it in the call attribute
 * {@link CostInterceptor#COST} at the call's end.
 *
 * @param provider   the configured provider the call went to
 * @param model      the model that answered (the response's, else the request's)
 * @param pricedAs   the price table entry that priced it, or null when the model has none
 * @param usage      the tokens it consumed
 * @param costUsd    what it cost in USD, or null when the model has no price (never a made-up default)
 * @param dimensions what the call is attributed to besides provider and model ({@code feature}, {@code user}…)
 */
public record CallCost(
        String provider,
        String model,
        String pricedAs,
        CallUsage usage,
        BigDecimal costUsd,
        Map<String, String> dimensions) {

    public CallCost {
        dimensions = Map.copyOf(dimensions);
    }

    public boolean priced() {
        return costUsd != null;
    }
}
