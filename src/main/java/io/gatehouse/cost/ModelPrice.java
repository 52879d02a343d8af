package io.gatehouse.cost;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * What a model costs, in USD per million tokens.
 *
 * @param input        a prompt token
 * @param cachedInput  a prompt token read from the provider's cache
 * @param cacheWrite   a prompt token written to the cache (Anthropic's five-minute cache)
 * @param cacheWrite1h a prompt token written to the one-hour cache (Anthropic)
 * @param output       a generated token, reasoning included
 * @param longContext  the rates that apply instead when a call's prompt exceeds a threshold (Gemini 2.5 Pro, Claude
 *                     Sonnet 4 with a 1M context); null when the model has one rate
 */
public record ModelPrice(
        BigDecimal input,
        BigDecimal cachedInput,
        BigDecimal cacheWrite,
        BigDecimal cacheWrite1h,
        BigDecimal output,
        LongContext longContext) {

    private static final BigDecimal PER_MILLION = BigDecimal.valueOf(1_000_000);
    /** Enough decimals for a single token of the cheapest model (USD 0.01 per million is 1e-8). */
    static final int SCALE = 12;

    /** Without trailing zeros, and never with a negative scale, which JSON would show as {@code 1E+1}. */
    static BigDecimal plain(BigDecimal value) {
        BigDecimal stripped = value.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }

    /** The dearer rates of prompts longer than {@code aboveInputTokens}. */
    public record LongContext(long aboveInputTokens, ModelPrice price) {
    }

    /** A price with the cache rates its provider leaves out filled in: no cache discount, no cache-write premium. */
    public ModelPrice {
        cachedInput = cachedInput == null ? input : cachedInput;
        cacheWrite = cacheWrite == null ? input : cacheWrite;
        cacheWrite1h = cacheWrite1h == null ? cacheWrite : cacheWrite1h;
    }

    /** What {@code usage} costs at these rates, in USD. */
    public BigDecimal costOf(CallUsage usage) {
        ModelPrice rates = longContext != null && usage.inputTokens() > longContext.aboveInputTokens()
                ? longContext.price() : this;
        long cacheWrite5m = usage.cacheWriteTokens() - usage.cacheWrite1hTokens();
        BigDecimal perMillion = rates.input.multiply(BigDecimal.valueOf(usage.uncachedInputTokens()))
                .add(rates.cachedInput.multiply(BigDecimal.valueOf(usage.cachedInputTokens())))
                .add(rates.cacheWrite.multiply(BigDecimal.valueOf(cacheWrite5m)))
                .add(rates.cacheWrite1h.multiply(BigDecimal.valueOf(usage.cacheWrite1hTokens())))
                .add(rates.output.multiply(BigDecimal.valueOf(usage.outputTokens())));
        return plain(perMillion.divide(PER_MILLION, SCALE, RoundingMode.HALF_UP));
    }
}
