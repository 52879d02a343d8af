package io.gatehouse.cost;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The cost counters on {@code /metrics}: {@code gatehouse_llm_tokens_total{provider,model,kind}},
 * {@code gatehouse_llm_cost_usd_total{provider,model}} and {@code gatehouse_cost_unpriced_calls_total{provider,model}}.
 * Kinds: {@code input} and {@code output} are totals, {@code cached_input}, {@code cache_write} and
 * {@code reasoning} are parts of them. Model names come from responses, so at most {@link #MAX_MODELS} distinct ones
 * become labels; later ones are counted as {@code other}.
 */
final class CostMetrics {
    static final int MAX_MODELS = 200;

    private final MeterRegistry registry;
    private final ConcurrentMap<String, Counters> byProviderAndModel = new ConcurrentHashMap<>();
    private final Set<String> models = ConcurrentHashMap.newKeySet();

    CostMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void record(CallCost cost) {
        String model = label(cost.model() == null ? "unknown" : cost.model());
        Counters counters = byProviderAndModel.computeIfAbsent(cost.provider() + '\n' + model,
                key -> new Counters(registry, cost.provider(), model));
        CallUsage usage = cost.usage();
        counters.input.increment(usage.inputTokens());
        counters.cachedInput.increment(usage.cachedInputTokens());
        counters.cacheWrite.increment(usage.cacheWriteTokens());
        counters.output.increment(usage.outputTokens());
        counters.reasoning.increment(usage.reasoningTokens());
        if (cost.priced()) {
            counters.costUsd.increment(cost.costUsd().doubleValue());
        } else {
            counters.unpriced.increment();
        }
    }

    private String label(String model) {
        if (models.contains(model)) {
            return model;
        }
        return models.size() < MAX_MODELS && models.add(model) ? model : "other";
    }

    private static final class Counters {
        final Counter input;
        final Counter cachedInput;
        final Counter cacheWrite;
        final Counter output;
        final Counter reasoning;
        final Counter costUsd;
        final Counter unpriced;

        Counters(MeterRegistry registry, String provider, String model) {
            input = tokens(registry, provider, model, "input");
            cachedInput = tokens(registry, provider, model, "cached_input");
            cacheWrite = tokens(registry, provider, model, "cache_write");
            output = tokens(registry, provider, model, "output");
            reasoning = tokens(registry, provider, model, "reasoning");
            costUsd = Counter.builder("gatehouse_llm_cost_usd")
                    .description("What LLM calls cost in USD, by the price table; unpriced models add nothing")
                    .tags("provider", provider, "model", model).register(registry);
            unpriced = Counter.builder("gatehouse_cost_unpriced_calls")
                    .description("LLM calls whose model has no entry in the price table")
                    .tags("provider", provider, "model", model).register(registry);
        }

        private static Counter tokens(MeterRegistry registry, String provider, String model, String kind) {
            return Counter.builder("gatehouse_llm_tokens")
                    .description("Tokens of LLM calls: input and output are totals; cached_input, cache_write and reasoning are parts of them")
                    .tags("provider", provider, "model", model, "kind", kind).register(registry);
        }
    }
}
