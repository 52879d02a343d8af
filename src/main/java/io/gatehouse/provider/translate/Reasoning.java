package io.gatehouse.provider.translate;

/**
 * How much the model should think before answering.
 *
 * @param effort       OpenAI's {@code reasoning_effort} (minimal, low, medium, high), or null
 * @param budgetTokens Anthropic's and Gemini's thinking budget, or null
 */
public record Reasoning(String effort, Integer budgetTokens) {
}
