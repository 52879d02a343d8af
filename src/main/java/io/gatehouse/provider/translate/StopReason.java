package io.gatehouse.provider.translate;

/** Why the model stopped, in terms every API can name. */
public enum StopReason {
    /** It finished its turn (OpenAI {@code stop}, Anthropic {@code end_turn}, Gemini {@code STOP}). */
    END_TURN,
    /** It hit one of the request's stop sequences. */
    STOP_SEQUENCE,
    /** It ran out of output tokens. */
    MAX_TOKENS,
    /** It wants tools called. */
    TOOL_USE,
    /** The provider's safety system cut it (OpenAI {@code content_filter}, Anthropic {@code refusal}, Gemini SAFETY…). */
    CONTENT_FILTER,
    /** Anthropic's {@code pause_turn}: a long server-tool turn paused, to be resumed by sending it back. */
    PAUSE
}
