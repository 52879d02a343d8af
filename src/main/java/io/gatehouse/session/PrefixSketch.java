package io.gatehouse.session;

import java.util.Locale;

/**
 * The opening of a conversation for fuzzy matching, as seed 000 took it: the first three non-system messages,
 * 50 characters of text each. Compared by Jaccard similarity over character trigrams rather than the old
 * character sets, under which almost any two English sentences look alike. The trigrams are hashed into 1024
 * bits, so a comparison is a few dozen word operations and can run under the tracker's lock.
 */
final class PrefixSketch {
    private static final int OPENING_MESSAGES = 3;
    private static final int CHARS_PER_MESSAGE = 50;
    private static final int WORDS = 16;
    private static final int INDEX_BITS = 10;

    private final long[] bits;

    private PrefixSketch(long[] bits) {
        this.bits = bits;
    }

    static PrefixSketch of(Conversation conversation) {
        StringBuilder opening = new StringBuilder();
        int taken = 0;
        for (Message message : conversation.messages()) {
            if (message.origin() == Message.Origin.SYSTEM) {
                continue;
            }
            if (taken++ == OPENING_MESSAGES) {
                break;
            }
            String text = message.text();
            opening.append(text, 0, Math.min(CHARS_PER_MESSAGE, text.length())).append('\n');
        }
        String text = opening.toString().toLowerCase(Locale.ROOT);
        long[] bits = new long[WORDS];
        for (int i = 0; i + 3 <= text.length(); i++) {
            int trigram = (text.charAt(i) * 31 + text.charAt(i + 1)) * 31 + text.charAt(i + 2);
            int bit = (trigram * 0x9E3779B9) >>> (Integer.SIZE - INDEX_BITS);
            bits[bit >>> 6] |= 1L << bit;
        }
        return new PrefixSketch(bits);
    }

    /** Shared trigrams over all trigrams, 0 to 1; 0 when neither side has any text to compare. */
    double similarity(PrefixSketch other) {
        int shared = 0;
        int all = 0;
        for (int i = 0; i < WORDS; i++) {
            shared += Long.bitCount(bits[i] & other.bits[i]);
            all += Long.bitCount(bits[i] | other.bits[i]);
        }
        return all == 0 ? 0 : (double) shared / all;
    }
}
