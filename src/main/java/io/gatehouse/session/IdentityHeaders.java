package io.gatehouse.session;

import io.vertx.core.MultiMap;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a call's identity from its headers, in Gatehouse's own names and both generations of the seed's.
 *
 * <ul>
 *   <li>Session id: {@code x-gatehouse-session-id}, else {@code x-cylestio-conversation-id} (seed 2.3+), else
 *       {@code x-cylestio-session-id} (its 2.2.0 meaning). When either of the first two is present,
 *       {@code x-cylestio-session-id} takes its 2.3+ meaning instead: the tag {@code session=<value>}.</li>
 *   <li>Agent id: {@code x-gatehouse-agent-id}, else {@code x-cylestio-prompt-id} (2.3+), else
 *       {@code x-cylestio-agent-id} (2.2.0).</li>
 *   <li>Tags: {@code x-cylestio-tags}, then {@code x-gatehouse-tags}, both {@code k1:v1,k2,k3:v:with:colons}.</li>
 * </ul>
 * Blank headers count as absent. Pure: no state, no I/O.
 */
public final class IdentityHeaders {
    public static final String SESSION_ID = "x-gatehouse-session-id";
    public static final String AGENT_ID = "x-gatehouse-agent-id";
    public static final String TAGS = "x-gatehouse-tags";
    public static final String CYLESTIO_CONVERSATION_ID = "x-cylestio-conversation-id";
    public static final String CYLESTIO_SESSION_ID = "x-cylestio-session-id";
    public static final String CYLESTIO_PROMPT_ID = "x-cylestio-prompt-id";
    public static final String CYLESTIO_AGENT_ID = "x-cylestio-agent-id";
    public static final String CYLESTIO_TAGS = "x-cylestio-tags";

    /** The seed's limits: tags per call (the injected {@code session} tag included), key and value lengths. */
    public static final int MAX_TAGS = 50;
    public static final int MAX_TAG_KEY_LENGTH = 64;
    public static final int MAX_TAG_VALUE_LENGTH = 512;
    /** The tag a seed 2.3+ {@code x-cylestio-session-id} becomes. */
    public static final String SESSION_TAG = "session";

    private IdentityHeaders() {
    }

    /** @param workflowId the id of the call's {@code /agent-workflow/{id}/} prefix, or null */
    public static CallIdentity parse(MultiMap headers, String workflowId) {
        String conversationId = firstPresent(headers, SESSION_ID, CYLESTIO_CONVERSATION_ID);
        String cylestioSessionId = present(headers, CYLESTIO_SESSION_ID);
        Map<String, String> tags = new LinkedHashMap<>();
        String externalSessionId = conversationId;
        if (conversationId == null) {
            externalSessionId = cylestioSessionId;
        } else if (cylestioSessionId != null) {
            putTag(tags, SESSION_TAG, cylestioSessionId);
        }
        parseTags(present(headers, CYLESTIO_TAGS), tags);
        parseTags(present(headers, TAGS), tags);
        String agentId = firstPresent(headers, AGENT_ID, CYLESTIO_PROMPT_ID, CYLESTIO_AGENT_ID);
        return new CallIdentity(externalSessionId, agentId,
                tags.isEmpty() ? Map.of() : Collections.unmodifiableMap(tags), workflowId);
    }

    /**
     * Adds the tags of one header to {@code tags}: segments split on commas, each on its first colon; a bare key
     * means {@code "true"}; keys and values trimmed; empty segments and keys skipped, as are keys longer than
     * {@value #MAX_TAG_KEY_LENGTH}; values cut to {@value #MAX_TAG_VALUE_LENGTH}. A key given again takes the later
     * value (so {@code session:x} overrides the header's); new keys stop at {@value #MAX_TAGS} in all.
     */
    static void parseTags(String header, Map<String, String> tags) {
        if (header == null) {
            return;
        }
        for (String segment : header.split(",")) {
            int colon = segment.indexOf(':');
            String key = (colon < 0 ? segment : segment.substring(0, colon)).trim();
            if (key.isEmpty() || key.length() > MAX_TAG_KEY_LENGTH) {
                continue;
            }
            String value = colon < 0 ? "true" : segment.substring(colon + 1).trim();
            putTag(tags, key, value);
        }
    }

    private static void putTag(Map<String, String> tags, String key, String value) {
        if (tags.size() >= MAX_TAGS && !tags.containsKey(key)) {
            return;
        }
        tags.put(key, value.length() > MAX_TAG_VALUE_LENGTH ? value.substring(0, MAX_TAG_VALUE_LENGTH) : value);
    }

    private static String firstPresent(MultiMap headers, String... names) {
        for (String name : names) {
            String value = present(headers, name);
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    private static String present(MultiMap headers, String name) {
        String value = headers.get(name);
        return value == null || value.isBlank() ? null : value.trim();
    }
}
