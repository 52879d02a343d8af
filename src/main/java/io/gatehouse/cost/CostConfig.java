package io.gatehouse.cost;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The {@code cost:} block: token counting and pricing of every call.
 *
 * @param enabled              meter every call (usage, cost, metrics, {@code GET /usage}); on by default
 * @param pricingFile          a JSON or YAML file whose {@code models} entries replace or extend the bundled price
 *                             table; null for the bundled table alone
 * @param estimateOutputTokens the output a request that names no maximum ({@code max_tokens},
 *                             {@code max_completion_tokens}, {@code max_output_tokens}) is assumed to reach when its
 *                             cost is estimated before the call
 */
public record CostConfig(
        Boolean enabled,
        @JsonProperty("pricing_file") String pricingFile,
        @JsonProperty("estimate_output_tokens") Integer estimateOutputTokens) {

    public static final int DEFAULT_ESTIMATE_OUTPUT_TOKENS = 4096;

    public CostConfig {
        enabled = enabled == null || enabled;
        estimateOutputTokens = estimateOutputTokens == null ? DEFAULT_ESTIMATE_OUTPUT_TOKENS : estimateOutputTokens;
    }

    public static CostConfig defaults() {
        return new CostConfig(null, null, null);
    }
}
