package io.gatehouse.limit;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.cost.CallCost;
import io.gatehouse.cost.CostEstimator;
import io.gatehouse.cost.CostInterceptor;
import io.gatehouse.pipeline.Call;
import io.gatehouse.pipeline.CallEnd;
import io.gatehouse.pipeline.ProxyRequest;
import io.gatehouse.pipeline.ProxyResponse;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Optional;

/**
 * Budgets priced by the gateway's price table (the cost package), so a budget spends exactly what {@code /usage},
 * the metrics and the events say a call cost: the most a call can cost is reserved by {@link CostEstimator}, and
 * what it cost is the {@link CallCost} the cost interceptor left on the call (it sits innermost, so its end of the
 * call runs before the limits'). Models that {@code limits.prices} names keep those prices, being explicit
 * configuration; models the price table does not know fall back to them too, default included. Token counts are
 * always {@link UsageSpendMeter}'s.
 */
public final class CostSpendMeter implements SpendMeter {
    private static final BigDecimal NANO_USD_PER_USD = BigDecimal.valueOf(1_000_000_000L);

    private final CostEstimator estimator;
    private final UsageSpendMeter fallback;

    public CostSpendMeter(CostEstimator estimator, UsageSpendMeter fallback) {
        this.estimator = estimator;
        this.fallback = fallback;
    }

    @Override
    public Spend maximum(ProxyRequest request) {
        JsonNode json = request.json();
        if (json == null || !json.isObject()) {
            return fallback.maximum(request);
        }
        // The input as limits estimate it (characters / 4): a tokenizer's pass over a large prompt would hold up
        // the event loop, and the reservation is settled against the real cost anyway. Measured once, for both.
        long input = UsageSpendMeter.inputTokens(json);
        Spend counted = fallback.maximum(request, input);
        if (fallback.pricesExplicitly(json.path("model").textValue())) {
            return counted;
        }
        Optional<BigDecimal> usd = estimator.maxCostUsd(request, input);
        return usd.map(cost -> new Spend(counted.tokens(), nanoUsd(cost))).orElse(counted);
    }

    @Override
    public void observe(Call call, ProxyRequest request, ProxyResponse response) {
        fallback.observe(call, request, response);
    }

    @Override
    public Spend actual(CallEnd end, Spend maximum) {
        Spend counted = fallback.actual(end, maximum);
        CallCost cost = end.call().attribute(CostInterceptor.COST);
        if (cost == null || !cost.priced() || fallback.pricesExplicitly(cost.model())) {
            return counted;
        }
        return new Spend(counted.tokens(), nanoUsd(cost.costUsd()));
    }

    /** Rounded up, as the counters are: a budget never undercounts a fraction of a nano-dollar. */
    private static long nanoUsd(BigDecimal usd) {
        return usd.multiply(NANO_USD_PER_USD).setScale(0, RoundingMode.CEILING).longValueExact();
    }
}
