package io.gatehouse.cost;

/**
 * The tokens one call consumed, the same way for every provider. {@code inputTokens} and {@code outputTokens} are
 * totals; the other counts are parts of them: OpenAI's {@code prompt_tokens} already include its cached tokens,
 * Anthropic's {@code input_tokens} do not include cache reads and writes, so they are added in.
 *
 * @param inputTokens        every prompt token, cached and cache-written ones included
 * @param cachedInputTokens  prompt tokens read from the provider's cache (billed at the cached rate)
 * @param cacheWriteTokens   prompt tokens written to the cache (Anthropic; billed at the cache-write rate)
 * @param cacheWrite1hTokens the part of {@code cacheWriteTokens} written with a one-hour lifetime (dearer)
 * @param outputTokens       every generated token, reasoning included
 * @param reasoningTokens    the part of {@code outputTokens} spent on hidden reasoning
 * @param estimated          true when the gateway counted the tokens itself, because the upstream reported no usage
 *                           (or, for a stream cut short, reported only part of it)
 */
public record CallUsage(
        long inputTokens,
        long cachedInputTokens,
        long cacheWriteTokens,
        long cacheWrite1hTokens,
        long outputTokens,
        long reasoningTokens,
        boolean estimated) {

    /** Usage counted by the gateway: only input and output are known. */
    public static CallUsage counted(long inputTokens, long outputTokens) {
        return new CallUsage(inputTokens, 0, 0, 0, outputTokens, 0, true);
    }

    /** Prompt tokens billed at the plain input rate: neither read from nor written to the cache. */
    public long uncachedInputTokens() {
        return Math.max(0, inputTokens - cachedInputTokens - cacheWriteTokens);
    }

    public long totalTokens() {
        return inputTokens + outputTokens;
    }
}
