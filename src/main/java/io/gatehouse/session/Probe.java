package io.gatehouse.session;

/**
 * Everything the tracker needs to know about one request, worked out before it takes its lock.
 *
 * @param previousStateLength how many leading messages form the state this request continues; 0 for none
 * @param opening             the seed's test for a genuine start, which decides whether a miss is fragmented
 * @param reset               the closing user message asks for a new conversation (heuristics on)
 * @param sketch              the conversation's opening for fuzzy matching; null when fuzzy matching is off
 * @param searchFuzzy         whether to look for a fuzzy match after an exact miss: not for what looks like a
 *                            new conversation, which would otherwise be folded into a similar older one
 */
record Probe(Conversation conversation, SignatureChain chain, int previousStateLength, boolean opening,
             boolean reset, PrefixSketch sketch, boolean searchFuzzy) {

    static Probe of(Conversation conversation, SessionConfig config, ResetPhrases resetPhrases) {
        boolean heuristics = config.enableFuzzyMatching();
        return new Probe(
                conversation,
                SignatureChain.of(conversation),
                conversation.previousStateLength(),
                conversation.isOpening(),
                heuristics && asksForReset(conversation, resetPhrases),
                heuristics ? PrefixSketch.of(conversation) : null,
                heuristics && !looksLikeStart(conversation, config.maxMessagesForNewSession()));
    }

    ApiFormat format() {
        return conversation.format();
    }

    int size() {
        return conversation.size();
    }

    /**
     * Only a request that ends with the user's own words can ask for a reset: once the model has answered,
     * the same phrase is history and must not split the conversation again on every later turn.
     */
    private static boolean asksForReset(Conversation conversation, ResetPhrases resetPhrases) {
        Message last = conversation.lastMessage();
        return last != null && last.isClient() && last.role().equals("user") && resetPhrases.foundIn(last.text());
    }

    /** Seed 000's start heuristic: no model turn and at most two client turns, or few messages and one model turn. */
    private static boolean looksLikeStart(Conversation conversation, int maxMessagesForNewSession) {
        int messages = 0;
        int modelTurns = 0;
        int clientTurns = 0;
        for (Message message : conversation.messages()) {
            if (message.origin() == Message.Origin.SYSTEM) {
                continue;
            }
            messages++;
            modelTurns += message.isLlm() ? 1 : 0;
            clientTurns += message.isClient() ? 1 : 0;
        }
        return (modelTurns == 0 && clientTurns <= 2) || (messages <= maxMessagesForNewSession && modelTurns <= 1);
    }
}
