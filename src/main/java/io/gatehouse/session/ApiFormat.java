package io.gatehouse.session;

/** The request shapes whose message history the session tracker understands. */
public enum ApiFormat {
    OPENAI_CHAT,
    OPENAI_RESPONSES,
    ANTHROPIC_MESSAGES
}
