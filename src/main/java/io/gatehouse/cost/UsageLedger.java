package io.gatehouse.cost;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.pipeline.Json;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the gateway's calls consumed since it started, in memory: totals, and the same sums per provider, per model
 * and per value of every other dimension a call carried (feature, user…). Behind {@code GET /usage}. Lock-free:
 * every event loop adds to it at once. Dimension values come from clients, so each dimension keeps at most
 * {@link #MAX_VALUES_PER_DIMENSION} values; later ones are summed under {@value #OTHER}.
 */
public final class UsageLedger {
    static final int MAX_VALUES_PER_DIMENSION = 1000;
    static final String OTHER = "(other)";
    /** Dimensions every call has, and the ones the cost interceptor reads from requests; others appear when seen. */
    static final Set<String> STANDARD_DIMENSIONS = Set.of("provider", "model", "feature", "user", "team", "organization");

    private final Instant since = Instant.now();
    private final Sums totals = new Sums();
    private final ConcurrentMap<String, ConcurrentMap<String, Sums>> groups = new ConcurrentHashMap<>();

    public void add(CallCost cost) {
        totals.add(cost);
        group("provider", cost.provider(), cost);
        group("model", cost.model() == null ? "unknown" : cost.model(), cost);
        cost.dimensions().forEach((dimension, value) -> group(dimension, value, cost));
    }

    /** Every dimension a call could be grouped by so far. */
    public Set<String> dimensions() {
        Set<String> known = new TreeSet<>(STANDARD_DIMENSIONS);
        known.addAll(groups.keySet());
        return known;
    }

    /** {@code {"since", "totals", "by_provider": {…}, "by_model": {…}, "by_<dimension>": {…}…}}. */
    public ObjectNode report() {
        ObjectNode report = header();
        new TreeMap<>(groups).forEach((dimension, values) -> report.set("by_" + dimension, groupJson(values)));
        return report;
    }

    /** {@code {"since", "totals", "group_by", "groups": {value: sums}}}; empty groups for a dimension not seen yet. */
    public ObjectNode report(String dimension) {
        ObjectNode report = header().put("group_by", dimension);
        report.set("groups", groupJson(groups.getOrDefault(dimension, new ConcurrentHashMap<>())));
        return report;
    }

    private ObjectNode header() {
        ObjectNode report = Json.MAPPER.createObjectNode().put("since", since.toString());
        report.set("totals", totals.toJson());
        return report;
    }

    private static ObjectNode groupJson(Map<String, Sums> values) {
        ObjectNode json = Json.MAPPER.createObjectNode();
        new TreeMap<>(values).forEach((value, sums) -> json.set(value, sums.toJson()));
        return json;
    }

    private void group(String dimension, String value, CallCost cost) {
        ConcurrentMap<String, Sums> values = groups.computeIfAbsent(dimension, d -> new ConcurrentHashMap<>());
        Sums sums = values.get(value);
        if (sums == null) {
            // The cap is approximate under races (a few values over), which is all it needs to be: a bound on memory.
            sums = values.size() >= MAX_VALUES_PER_DIMENSION ? values.computeIfAbsent(OTHER, v -> new Sums())
                    : values.computeIfAbsent(value, v -> new Sums());
        }
        sums.add(cost);
    }

    /** Running sums of calls and tokens; the cost in nano-USD, exact for any per-token rate in the table. */
    private static final class Sums {
        private final LongAdder calls = new LongAdder();
        private final LongAdder estimatedCalls = new LongAdder();
        private final LongAdder unpricedCalls = new LongAdder();
        private final LongAdder inputTokens = new LongAdder();
        private final LongAdder cachedInputTokens = new LongAdder();
        private final LongAdder cacheWriteTokens = new LongAdder();
        private final LongAdder outputTokens = new LongAdder();
        private final LongAdder reasoningTokens = new LongAdder();
        private final LongAdder costNanoUsd = new LongAdder();

        void add(CallCost cost) {
            CallUsage usage = cost.usage();
            calls.increment();
            if (usage.estimated()) {
                estimatedCalls.increment();
            }
            if (cost.priced()) {
                costNanoUsd.add(cost.costUsd().movePointRight(9).setScale(0, RoundingMode.HALF_UP).longValueExact());
            } else {
                unpricedCalls.increment();
            }
            inputTokens.add(usage.inputTokens());
            cachedInputTokens.add(usage.cachedInputTokens());
            cacheWriteTokens.add(usage.cacheWriteTokens());
            outputTokens.add(usage.outputTokens());
            reasoningTokens.add(usage.reasoningTokens());
        }

        ObjectNode toJson() {
            ObjectNode json = Json.MAPPER.createObjectNode()
                    .put("calls", calls.sum())
                    .put("estimated_calls", estimatedCalls.sum())
                    .put("unpriced_calls", unpricedCalls.sum())
                    .put("input_tokens", inputTokens.sum())
                    .put("cached_input_tokens", cachedInputTokens.sum())
                    .put("cache_write_tokens", cacheWriteTokens.sum())
                    .put("output_tokens", outputTokens.sum())
                    .put("reasoning_tokens", reasoningTokens.sum());
            json.put("cost_usd", ModelPrice.plain(BigDecimal.valueOf(costNanoUsd.sum(), 9)));
            return json;
        }
    }
}
