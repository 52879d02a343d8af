package io.gatehouse.provider.gemini;

/**
 * Gemini's thought signatures as they travel through clients of other APIs.
 *
 * <p>Gemini signs its reasoning with an opaque {@code thoughtSignature} on a response part, and wants it back on
 * the same part in the next turn (Gemini 3 rejects a function call turn without it). Clients hold it in their own
 * API's field for reasoning state, a {@link io.gatehouse.provider.translate.Part.Thinking}'s signature, so:
 * <ul>
 *     <li>a signature is shown to clients as {@code gemini:<native signature>}: only Gemini can verify its own
 *     signatures, and a signature from another provider (an Anthropic one, when a conversation moves from Claude
 *     to Gemini) would fail the call, so the prefix tells Gemini's signatures apart and the others are not sent;</li>
 *     <li>a signature on a thought part stays on that thinking block;</li>
 *     <li>a signature on another part (a function call, the last text part) has no field of its own in the unified
 *     shape, so it travels on a <em>carrier</em>: a thinking block with no text, right after the part it belongs
 *     to. The request encoder puts it back on the part before the carrier (or the one after, when the carrier
 *     comes first in its message).</li>
 * </ul>
 */
final class ThoughtSignatures {
    private static final String PREFIX = "gemini:";
    /**
     * The value Google documents for function calls Gemini did not sign (history from another model, or calls the
     * client made up), which turns signature validation off for that call.
     */
    static final String SKIP_VALIDATOR = "skip_thought_signature_validator";

    private ThoughtSignatures() {
    }

    /** The signature as clients see it. */
    static String shown(String nativeSignature) {
        return PREFIX + nativeSignature;
    }

    /** Gemini's own signature behind a client's, or null when it is absent or another provider's. */
    static String nativeOf(String shown) {
        if (shown == null || !shown.startsWith(PREFIX) || shown.length() == PREFIX.length()) {
            return null;
        }
        return shown.substring(PREFIX.length());
    }
}
