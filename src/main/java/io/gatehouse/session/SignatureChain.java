package io.gatehouse.session;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The signature of every prefix of a conversation, from one pass over it: each link is
 * SHA-256(previous link, role, canonical message), and the first covers the API format and system prompt. The
 * whole canonical content counts, tool-call ids and arguments included, so two conversations stay apart as soon
 * as any byte differs. Computed before the tracker takes its lock.
 */
final class SignatureChain {
    private static final ThreadLocal<MessageDigest> SHA_256 =
            ThreadLocal.withInitial(() -> Digests.newDigest("SHA-256"));

    /** Two longs per prefix length, 0 to size. */
    private final long[] words;

    private SignatureChain(long[] words) {
        this.words = words;
    }

    static SignatureChain of(Conversation conversation) {
        MessageDigest sha = SHA_256.get();
        long[] words = new long[2 * (conversation.size() + 1)];
        // The format keeps identical text sent to two APIs apart, as the seed's separate per-provider stores did.
        update(sha, conversation.format().name());
        update(sha, conversation.systemPrompt());
        byte[] link = sha.digest();
        store(words, 0, link);
        for (int i = 0; i < conversation.size(); i++) {
            Message message = conversation.messages().get(i);
            sha.update(link);
            update(sha, message.role());
            update(sha, message.canonical());
            link = sha.digest();
            store(words, i + 1, link);
        }
        return new SignatureChain(words);
    }

    /** The state made of the first {@code length} messages. */
    Signature at(int length) {
        return new Signature(words[2 * length], words[2 * length + 1]);
    }

    Signature full() {
        return at(words.length / 2 - 1);
    }

    /** Length-prefixed, so a value can never run into the next one; -1 marks an absent value. */
    private static void update(MessageDigest sha, String value) {
        byte[] bytes = value == null ? null : value.getBytes(StandardCharsets.UTF_8);
        int length = bytes == null ? -1 : bytes.length;
        sha.update((byte) (length >>> 24));
        sha.update((byte) (length >>> 16));
        sha.update((byte) (length >>> 8));
        sha.update((byte) length);
        if (bytes != null) {
            sha.update(bytes);
        }
    }

    private static void store(long[] words, int length, byte[] digest) {
        ByteBuffer buffer = ByteBuffer.wrap(digest);
        words[2 * length] = buffer.getLong(0);
        words[2 * length + 1] = buffer.getLong(8);
    }
}
