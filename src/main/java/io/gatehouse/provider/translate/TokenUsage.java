package io.gatehouse.provider.translate;

/**
 * Tokens of one call as the provider reported them. {@code inputTokens} counts every prompt token, cached ones
 * included (OpenAI's {@code prompt_tokens}); Anthropic reports cached tokens apart, and its codec adds them in.
 *
 * @param cachedInputTokens prompt tokens read from the provider's cache
 * @param cacheWriteTokens  prompt tokens written to it (Anthropic {@code cache_creation_input_tokens})
 * @param reasoningTokens   output tokens spent on reasoning, included in {@code outputTokens}
 */
public record TokenUsage(long inputTokens, long outputTokens, long cachedInputTokens, long cacheWriteTokens,
                         long reasoningTokens) {
    public static final TokenUsage NONE = new TokenUsage(0, 0, 0, 0, 0);

    public long totalTokens() {
        return inputTokens + outputTokens;
    }
}
