package io.gatehouse.provider.translate;

/**
 * How the model may use the tools.
 *
 * @param name the tool it must call, for {@link Mode#NAMED}
 * @param parallel false when the client forbade parallel tool calls; null when it did not say
 */
public record ToolChoice(Mode mode, String name, Boolean parallel) {
    public enum Mode {
        AUTO,
        NONE,
        /** Some tool must be called (OpenAI {@code required}, Anthropic {@code any}). */
        REQUIRED,
        NAMED
    }
}
