package io.gatehouse.provider.translate;

import java.util.List;

/**
 * One turn of the conversation. Tool results travel in a user message as {@link Part.ToolResult} parts (as in
 * Anthropic's API); an OpenAI {@code tool} message decodes into one, and consecutive ones into the same message.
 */
public record Message(Role role, List<Part> parts) {
    public Message {
        parts = List.copyOf(parts);
    }
}
