package io.gatehouse.provider.translate;

/** The APIs clients call the gateway in, when their call may be translated for another provider. */
public enum InboundApi {
    /** OpenAI {@code POST /v1/chat/completions}. */
    OPENAI_CHAT,
    /** Anthropic {@code POST /v1/messages}. */
    ANTHROPIC_MESSAGES,
    /** OpenAI {@code POST /v1/responses}: passed through to OpenAI and Azure, bridged to chat for the others. */
    OPENAI_RESPONSES
}
