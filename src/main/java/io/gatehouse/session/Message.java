package io.gatehouse.session;

/**
 * One entry of a request's history, in the order of the request's own array, so that index {@code i} here is
 * index {@code i} in {@code messages} or {@code input}.
 *
 * @param role      the message role; for Responses API items without a role, the item type
 *                  ({@code function_call}, {@code function_call_output}, {@code reasoning}, …)
 * @param origin    who wrote it
 * @param text      the plain text parts the author wrote, joined by a newline; empty when there are none
 *                  (tool results nested in an Anthropic user message are not part of its text)
 * @param canonical every part that makes the message what it is (text, image references, tool-call ids,
 *                  names and arguments, tool results with their call ids), in a stable length-prefixed form;
 *                  fields a client may change between resends of the same history, such as Anthropic
 *                  {@code cache_control}, are left out, and inline binary data is replaced by its SHA-256
 */
public record Message(String role, Origin origin, String text, String canonical) {

    public enum Origin {
        /** System and developer prompts. */
        SYSTEM,
        /** User turns and the results of tools the client ran: user, tool, {@code function_call_output}. */
        CLIENT,
        /** What the model produced: assistant turns, {@code function_call} and other model output items. */
        LLM,
        /** Anything else, such as a Responses {@code item_reference}. */
        OTHER
    }

    public boolean isLlm() {
        return origin == Origin.LLM;
    }

    public boolean isClient() {
        return origin == Origin.CLIENT;
    }
}
