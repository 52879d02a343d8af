package io.gatehouse.provider.translate;

import java.util.List;

/**
 * A complete answer: the assistant's content in order (thinking, text, tool calls), why it stopped and what it
 * cost.
 *
 * @param stopSequence the stop sequence that ended it, for {@link StopReason#STOP_SEQUENCE}, when known
 * @param usage        null when the provider reported none
 */
public record UnifiedResponse(String id, String model, List<Part> content, StopReason stopReason, String stopSequence,
                              TokenUsage usage) {
    public UnifiedResponse {
        content = List.copyOf(content);
    }

    public UnifiedResponse withModel(String model) {
        return new UnifiedResponse(id, model, content, stopReason, stopSequence, usage);
    }
}
