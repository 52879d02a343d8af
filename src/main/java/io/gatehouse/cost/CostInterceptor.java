package io.gatehouse.cost;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.pipeline.Call;
import io.gatehouse.pipeline.CallPrincipal;
import io.gatehouse.pipeline.CallEnd;
import io.gatehouse.pipeline.Chain;
import io.gatehouse.pipeline.Interceptor;
import io.gatehouse.pipeline.ProxyRequest;
import io.gatehouse.pipeline.ProxyResponse;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Meters every LLM call: at its end, the tokens it consumed (as the upstream reported them, else counted) and what
 * they cost by the price table. The result goes to the call attribute {@link #COST}, the
 * {@code gatehouse_llm_*} counters and the {@link UsageLedger} behind {@code GET /usage}.
 *
 * <p>The gateway places it last in the chain, right in front of the upstream: it sees the request exactly as sent
 * (after any model rewrite or fallback), the response exactly as received (before any transformer), and a call
 * answered without the upstream (a refusal, a cached answer) costs nothing. Being innermost, it also hears of the
 * call's end first, so every other interceptor's {@code onCallEnd} finds {@link #COST} already set.
 */
public final class CostInterceptor implements Interceptor {
    public static final String TYPE = "cost";
    /** Call attribute: the call's {@link CallCost}, set when its end is reported; absent when nothing was billed. */
    public static final String COST = "gatehouse.cost.call";
    /**
     * Call attribute other interceptors may set, before the call ends, to a {@code Map<String, String>} of further
     * dimensions the call's usage is attributed to (a virtual key, a project); they appear under {@code /usage}.
     */
    public static final String DIMENSIONS = "gatehouse.cost.dimensions";
    /** Request header naming the feature a call serves, as SLLMP's feature config does. */
    public static final String FEATURE_HEADER = "x-gatehouse-feature";
    private static final String METER = "gatehouse.cost.meter";
    /** Client-given dimension values are cut to this many characters. */
    private static final int MAX_DIMENSION_VALUE = 100;

    private final PricingTable prices;
    private final CostEstimator estimator;
    private final CostMetrics metrics;
    private final UsageLedger ledger = new UsageLedger();

    public CostInterceptor(PricingTable prices, int estimateOutputTokens, MeterRegistry registry) {
        this.prices = prices;
        this.estimator = new CostEstimator(prices, estimateOutputTokens);
        this.metrics = new CostMetrics(registry);
        TokenCounter.preload();
    }

    /**
     * The interceptor for {@code config}, or empty when metering is off.
     *
     * @throws PricingTable.PricingException when the pricing file cannot be used, naming {@code cost.pricing_file},
     *                                         the file and the entry at fault
     */
    public static Optional<CostInterceptor> forConfig(CostConfig config, MeterRegistry registry) {
        if (!config.enabled()) {
            return Optional.empty();
        }
        PricingTable prices;
        try {
            prices = PricingTable.load(config.pricingFile() == null ? null : Path.of(config.pricingFile()));
        } catch (PricingTable.PricingException e) {
            throw new PricingTable.PricingException("cost.pricing_file: " + e.getMessage());
        }
        return Optional.of(new CostInterceptor(prices, config.estimateOutputTokens(), registry));
    }

    @Override
    public String name() {
        return TYPE;
    }

    public UsageLedger ledger() {
        return ledger;
    }

    /** Estimates a request's maximum cost before the call, with this gateway's prices (for budgets). */
    public CostEstimator estimator() {
        return estimator;
    }

    @Override
    public Future<ProxyResponse> intercept(Chain chain) {
        ProxyRequest request = chain.request();
        Endpoint endpoint = request.method() == HttpMethod.POST && request.json() != null
                ? Endpoint.of(request.clientFormat().type(), request.path()) : null;
        if (endpoint == null) {
            return chain.proceed(request);
        }
        // One meter per attempt: a retried call is billed for the attempt whose answer the client got.
        CallMeter meter = new CallMeter(endpoint, request.clientFormat().type(), request.path(), request.json());
        Context context = Vertx.currentContext();
        if (context != null) {
            meter.countPromptAheadIfUnreported(context.owner(), request.body().length());
        }
        Call call = chain.call();
        call.attribute(METER, new Attempt(meter, request.upstream().name(), dimensionsOf(call, request)));
        return chain.proceed(request).map(response -> {
            meter.observe(call, response);
            return response;
        });
    }

    @Override
    public void onCallEnd(CallEnd end) {
        Attempt attempt = end.call().attribute(METER);
        if (attempt == null) {
            return;
        }
        CallMeter.Metered metered = attempt.meter.finish(end);
        if (metered == null) {
            return;
        }
        Optional<PricingTable.PricedModel> priced = prices.find(attempt.provider, metered.model());
        BigDecimal cost = priced.map(p -> p.price().costOf(metered.usage())).orElse(null);
        Map<String, String> dimensions = new HashMap<>(attempt.dimensions);
        Map<String, String> added = end.call().attribute(DIMENSIONS);
        if (added != null) {
            added.forEach((name, value) -> {
                // Provider and model are the ledger's own groups: another interceptor cannot relabel them.
                if (name != null && value != null && !name.equals("provider") && !name.equals("model")) {
                    dimensions.put(name, value);
                }
            });
        }
        CallCost callCost = new CallCost(attempt.provider, metered.model(),
                priced.map(PricingTable.PricedModel::entry).orElse(null), metered.usage(), cost, dimensions);
        end.call().attribute(COST, callCost);
        metrics.record(callCost);
        ledger.add(callCost);
    }

    /**
     * The call's dimensions: what the request names itself, overridden by what authentication established (the
     * virtual key, its project and the key's user, team and feature), which the client cannot forge.
     */
    private static Map<String, String> dimensionsOf(Call call, ProxyRequest request) {
        Map<String, String> dimensions = requestDimensions(request);
        CallPrincipal principal = call.attribute(CallPrincipal.ATTRIBUTE);
        if (principal != null) {
            put(dimensions, "key", principal.keyId());
            put(dimensions, "project", principal.projectId());
            for (String field : List.of("user", "team", "feature", "organization")) {
                put(dimensions, field, principal.metadata().get(field));
            }
        }
        return dimensions;
    }

    /**
     * The dimensions a request names itself: the feature from {@value #FEATURE_HEADER} or the body's
     * {@code metadata.feature}, and SLLMP's {@code metadata.user_id}, {@code metadata.team} and
     * {@code metadata.organization}. Client-given, so good for attribution, not for enforcement.
     */
    private static Map<String, String> requestDimensions(ProxyRequest request) {
        Map<String, String> dimensions = new HashMap<>(4);
        JsonNode metadata = request.json().path("metadata");
        String feature = request.headers().get(FEATURE_HEADER);
        put(dimensions, "feature", feature != null && !feature.isBlank() ? feature : metadata.path("feature").textValue());
        put(dimensions, "user", metadata.path("user_id").textValue());
        put(dimensions, "team", metadata.path("team").textValue());
        put(dimensions, "organization", metadata.path("organization").textValue());
        return dimensions;
    }

    private static void put(Map<String, String> dimensions, String name, String value) {
        if (value != null && !value.isBlank()) {
            String trimmed = value.trim();
            dimensions.put(name, trimmed.length() > MAX_DIMENSION_VALUE ? trimmed.substring(0, MAX_DIMENSION_VALUE) : trimmed);
        }
    }

    private record Attempt(CallMeter meter, String provider, Map<String, String> dimensions) {
    }
}
