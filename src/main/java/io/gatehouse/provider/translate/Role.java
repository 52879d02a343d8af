package io.gatehouse.provider.translate;

/** Who said a message. System prompts are not messages: they live in {@link UnifiedRequest#system()}. */
public enum Role {
    USER,
    ASSISTANT
}
