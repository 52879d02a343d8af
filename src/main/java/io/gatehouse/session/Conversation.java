package io.gatehouse.session;

import java.util.List;

/**
 * The normalized history of one request.
 *
 * @param systemPrompt       the prompt that identifies the agent, or null when there is none: the first
 *                           {@code system} message (OpenAI), else {@code instructions} (Responses API), else the
 *                           first {@code developer} message; Anthropic's {@code system}. Content given as a list
 *                           of blocks is the text of its text blocks joined by a newline, so one text block
 *                           yields the same prompt as the plain string
 * @param messages           the request's {@code messages} or {@code input}, index for index
 * @param previousResponseId the Responses API {@code previous_response_id}, or null
 */
public record Conversation(ApiFormat format, String systemPrompt, List<Message> messages,
                           String previousResponseId) {

    /** What the seed hashes when a request has no system prompt, which folds all such agents into one id. */
    static final String NO_SYSTEM_PROMPT = "default-system";

    public Conversation {
        messages = List.copyOf(messages);
    }

    public int size() {
        return messages.size();
    }

    /** The seed's agent id: {@code "prompt-"} and the first 12 hex digits of MD5(system prompt). */
    public String defaultAgentId() {
        String prompt = systemPrompt == null ? NO_SYSTEM_PROMPT : systemPrompt;
        return "prompt-" + Digests.md5Hex(prompt).substring(0, 12);
    }

    /**
     * How many leading messages made up the state this request continues: everything before the model output
     * that the client is now returning. That is the run of model items ending at the last one, so that
     * {@code [user, reasoning, function_call, function_call, output, output]} continues {@code [user]}.
     * 0 when the request continues nothing.
     */
    int previousStateLength() {
        int index = messages.size() - 1;
        while (index >= 0 && !messages.get(index).isLlm()) {
            index--;
        }
        while (index > 0 && messages.get(index - 1).isLlm()) {
            index--;
        }
        return Math.max(index, 0);
    }

    /** The seed's test for a genuine start: at most one message, or at most one client message. */
    boolean isOpening() {
        return messages.size() <= 1 || messages.stream().filter(Message::isClient).count() <= 1;
    }

    Message lastMessage() {
        return messages.isEmpty() ? null : messages.get(messages.size() - 1);
    }
}
