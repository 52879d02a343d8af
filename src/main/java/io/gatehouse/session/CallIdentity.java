package io.gatehouse.session;

import java.util.Map;
import java.util.function.Supplier;

/**
 * Who a call says it is, from its headers and path.
 *
 * @param externalSessionId the client-given session id ({@code x-gatehouse-session-id},
 *                          {@code x-cylestio-conversation-id}, or seed 2.2.0's {@code x-cylestio-session-id}), or null
 * @param agentId           the client's agent id ({@code x-gatehouse-agent-id}, {@code x-cylestio-prompt-id},
 *                          {@code x-cylestio-agent-id}), else, once resolved with {@link #withDefaultAgentId}, the
 *                          conversation's default; null only before that
 * @param tags              the call's tags in the order given (unmodifiable), at most {@link IdentityHeaders#MAX_TAGS}
 * @param workflowId        the id of an {@code /agent-workflow/{id}/} path prefix, or null
 */
public record CallIdentity(String externalSessionId, String agentId, Map<String, String> tags, String workflowId) {

    /** This identity, with the agent id taken from {@code defaultAgentId} when the client named none. */
    public CallIdentity withDefaultAgentId(Supplier<String> defaultAgentId) {
        return agentId != null ? this : new CallIdentity(externalSessionId, defaultAgentId.get(), tags, workflowId);
    }
}
