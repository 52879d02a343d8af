package io.gatehouse.provider.translate;

import io.gatehouse.pipeline.GatewayError;

/**
 * One step of a streamed answer in the unified shape, modelled on Anthropic's stream, which is the most explicit:
 * a {@link Start}, content blocks each opened, filled by deltas and closed, a {@link Finish}, then {@link End}.
 * Block indexes count from 0 in order of opening and are never reused; blocks may interleave (parallel tool calls).
 * A decoder emits {@link Error} when the upstream reports a failure inside the stream.
 */
public sealed interface StreamEvent {

    record Start(String id, String model, TokenUsage usage) implements StreamEvent {
    }

    record TextStart(int index) implements StreamEvent {
    }

    record TextDelta(int index, String text) implements StreamEvent {
    }

    record ThinkingStart(int index) implements StreamEvent {
    }

    record ThinkingDelta(int index, String text) implements StreamEvent {
    }

    record SignatureDelta(int index, String signature) implements StreamEvent {
    }

    record RedactedThinking(int index, String data) implements StreamEvent {
    }

    record ToolCallStart(int index, String id, String name) implements StreamEvent {
    }

    /** A fragment of a tool call's arguments, JSON text to be concatenated. */
    record ToolArgumentsDelta(int index, String json) implements StreamEvent {
    }

    record BlockStop(int index) implements StreamEvent {
    }

    /** How the answer ended; {@code usage} is the whole call's, or null when the upstream sent none. */
    record Finish(StopReason stopReason, String stopSequence, TokenUsage usage) implements StreamEvent {
    }

    record End() implements StreamEvent {
    }

    record Error(GatewayError error) implements StreamEvent {
    }
}
