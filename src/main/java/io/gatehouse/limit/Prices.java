package io.gatehouse.limit;

import io.gatehouse.config.LimitsConfig;

import java.util.Map;

/**
 * USD per million tokens by model, from {@code limits.prices}: an exact model name, or a prefix ending in {@code *};
 * the longest match wins. A model matching nothing gets SLLMP's default, input 2.0 and output 10.0.
 */
final class Prices {
    static final LimitsConfig.Price DEFAULT = new LimitsConfig.Price(2.0, 10.0);
    /** Nano-USD per token at one USD per million tokens. */
    private static final double NANO_USD_PER_TOKEN_AT_ONE_USD_PER_MILLION = 1_000;

    private final Map<String, LimitsConfig.Price> byModel;

    Prices(Map<String, LimitsConfig.Price> byModel) {
        this.byModel = Map.copyOf(byModel);
    }

    /** The cost in nano-USD, rounded up, of {@code input} and {@code output} tokens of {@code model} (may be null). */
    long nanoUsd(String model, long input, long output) {
        LimitsConfig.Price price = priceOf(model);
        double nanos = (input * price.input() + output * price.output()) * NANO_USD_PER_TOKEN_AT_ONE_USD_PER_MILLION;
        return (long) Math.ceil(nanos);
    }

    /** Whether {@code model} matches an entry, exactly or by prefix, rather than falling to the default. */
    boolean isListed(String model) {
        return model != null && priceOf(model) != DEFAULT;
    }

    LimitsConfig.Price priceOf(String model) {
        if (model == null) {
            return DEFAULT;
        }
        LimitsConfig.Price exact = byModel.get(model);
        if (exact != null) {
            return exact;
        }
        LimitsConfig.Price best = DEFAULT;
        int bestLength = -1;
        for (Map.Entry<String, LimitsConfig.Price> entry : byModel.entrySet()) {
            String pattern = entry.getKey();
            if (pattern.endsWith("*")) {
                String prefix = pattern.substring(0, pattern.length() - 1);
                if (model.startsWith(prefix) && prefix.length() > bestLength) {
                    best = entry.getValue();
                    bestLength = prefix.length();
                }
            }
        }
        return best;
    }
}
