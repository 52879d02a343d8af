package io.gatehouse.cost;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.pipeline.ProxyRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.math.BigDecimal;
import java.util.Optional;

/**
 * The most a request can cost, before it is sent: its counted input tokens at the input rate plus its output
 * ceiling at the output rate. The ceiling is what the request allows ({@code max_completion_tokens} or
 * {@code max_tokens} times {@code n} for Chat, {@code max_output_tokens} for Responses, {@code max_tokens} for
 * Anthropic Messages and legacy Completions, whose API default is 16), else {@code cost.estimate_output_tokens}.
 * No cache discount is assumed, so the estimate is an upper bound unless the output runs past a ceiling that was not
 * given. Pure and thread-safe; counting a large prompt takes milliseconds of CPU, so on an event loop use
 * {@link #maxCostUsd(Vertx, ProxyRequest)}.
 */
public final class CostEstimator {
    /** The legacy Completions API's own default for {@code max_tokens}. */
    private static final int COMPLETIONS_DEFAULT_MAX_TOKENS = 16;

    private final PricingTable prices;
    private final int defaultOutputTokens;

    public CostEstimator(PricingTable prices, int defaultOutputTokens) {
        this.prices = prices;
        this.defaultOutputTokens = defaultOutputTokens;
    }

    /**
     * The request's maximum cost in USD as it goes to its upstream; empty when it calls no metered API or its model
     * has no price.
     */
    public Optional<BigDecimal> maxCostUsd(ProxyRequest request) {
        Endpoint endpoint = Endpoint.of(request.clientFormat().type(), request.path());
        JsonNode json = request.json();
        if (endpoint == null || json == null) {
            return Optional.empty();
        }
        return maxCostUsd(request.upstream().name(), endpoint, json.path("model").asText(null), json);
    }

    /**
     * {@link #maxCostUsd(ProxyRequest)} for a caller on an event loop: a small request is counted at once, a larger one
     * (over {@value TokenCounter#INLINE_COUNT_LIMIT_BYTES} bytes, a millisecond or more of counting) on a worker.
     */
    public Future<Optional<BigDecimal>> maxCostUsd(Vertx vertx, ProxyRequest request) {
        if (request.body().length() <= TokenCounter.INLINE_COUNT_LIMIT_BYTES) {
            return Future.succeededFuture(maxCostUsd(request));
        }
        return vertx.executeBlocking(() -> maxCostUsd(request), false);
    }

    /**
     * {@link #maxCostUsd(ProxyRequest)} with the input's token count given rather than counted: for callers on an event
     * loop that hold an estimate already and must not spend a tokenizer's time on a large prompt.
     */
    public Optional<BigDecimal> maxCostUsd(ProxyRequest request, long inputTokens) {
        Endpoint endpoint = Endpoint.of(request.clientFormat().type(), request.path());
        JsonNode json = request.json();
        if (endpoint == null || json == null) {
            return Optional.empty();
        }
        String model = json.path("model").asText(null);
        return prices.find(request.upstream().name(), model).map(priced -> priced.price().costOf(
                CallUsage.counted(inputTokens, maxOutputTokens(endpoint, json))));
    }

    /** The maximum cost in USD of {@code request} to {@code endpoint} on {@code model}; empty when it has no price. */
    public Optional<BigDecimal> maxCostUsd(String provider, Endpoint endpoint, String model, JsonNode request) {
        return prices.find(provider, model).map(priced -> priced.price().costOf(
                CallUsage.counted(TokenCounter.countInput(endpoint, model, request), maxOutputTokens(endpoint, request))));
    }

    /** The output ceiling of {@code request}: what it allows, else the configured default. */
    public long maxOutputTokens(Endpoint endpoint, JsonNode request) {
        return switch (endpoint) {
            case CHAT -> {
                JsonNode max = request.path("max_completion_tokens").canConvertToLong()
                        ? request.path("max_completion_tokens") : request.path("max_tokens");
                yield (max.canConvertToLong() ? max.asLong() : defaultOutputTokens) * choices(request);
            }
            case RESPONSES -> request.path("max_output_tokens").canConvertToLong()
                    ? request.path("max_output_tokens").asLong() : defaultOutputTokens;
            case MESSAGES -> request.path("max_tokens").canConvertToLong() ? request.path("max_tokens").asLong() : defaultOutputTokens;
            case COMPLETIONS -> (request.path("max_tokens").canConvertToLong()
                    ? request.path("max_tokens").asLong() : COMPLETIONS_DEFAULT_MAX_TOKENS) * choices(request);
            case EMBEDDINGS -> 0;
        };
    }

    private static long choices(JsonNode request) {
        JsonNode n = request.path("n");
        return n.canConvertToLong() && n.asLong() > 1 ? n.asLong() : 1;
    }
}
