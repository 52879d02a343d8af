package io.gatehouse.session;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.pipeline.Call;
import io.gatehouse.pipeline.Chain;
import io.gatehouse.pipeline.ChunkObserver;
import io.gatehouse.pipeline.Interceptor;
import io.gatehouse.pipeline.Json;
import io.gatehouse.pipeline.ProxyRequest;
import io.gatehouse.pipeline.ProxyResponse;
import io.gatehouse.pipeline.SseEvent;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;

/**
 * Puts each conversation call in its session and tells the client where it landed. For every call to a chat,
 * responses or messages route with a JSON body it works out the {@link CallIdentity} from the headers and path,
 * asks the {@link SessionTracker} for the session, leaves both in the call's attributes for later interceptors
 * ({@link #IDENTITY}, {@link #MATCH}), and adds {@code x-gatehouse-session-id} and {@code x-gatehouse-agent-id} to
 * whatever response the call gets, gateway errors included. Other calls pass untouched and get no session.
 *
 * <p>Responses API replies are remembered by their id, so a later {@code previous_response_id} continues the
 * session: from the {@code response.created} event of a stream, or from the top-level {@code id} of a plain body.
 */
public final class SessionInterceptor implements Interceptor {
    public static final String TYPE = "session";
    /** Call attribute: the call's {@link CallIdentity}, agent id resolved. Set on every call that has a session. */
    public static final String IDENTITY = "gatehouse.session.identity";
    /** Call attribute: the call's {@link SessionMatch}. Set on every call that has a session. */
    public static final String MATCH = "gatehouse.session.match";
    /** Call attribute: the call's {@link Conversation}, so later interceptors need not parse the history again. */
    public static final String CONVERSATION = "gatehouse.session.conversation";

    /** How much of a plain Responses API body is searched for its id, so a huge reply is never held whole. */
    private static final int RESPONSE_ID_SCAN_BYTES = 16 * 1024;

    private final SessionTracker tracker;

    public SessionInterceptor(SessionTracker tracker) {
        this.tracker = tracker;
    }

    @Override
    public String name() {
        return TYPE;
    }

    @Override
    public Future<ProxyResponse> intercept(Chain chain) {
        ProxyRequest request = chain.request();
        JsonNode json = request.json();
        if (json == null || !json.isObject() || !isConversationRoute(request.path())) {
            return chain.proceed(request);
        }
        Conversation conversation = Conversations.of(request.clientFormat().type(), request.path(), json);
        CallIdentity identity = IdentityHeaders.parse(request.headers(), request.workflowId())
                .withDefaultAgentId(conversation::defaultAgentId);
        SessionMatch match = tracker.detect(conversation, identity.externalSessionId());
        Call call = chain.call();
        call.attribute(IDENTITY, identity);
        call.attribute(MATCH, match);
        call.attribute(CONVERSATION, conversation);
        call.responseHeaders()
                .set(IdentityHeaders.SESSION_ID, match.sessionId())
                .set(IdentityHeaders.AGENT_ID, identity.agentId());
        Future<ProxyResponse> response = chain.proceed(request);
        if (conversation.format() != ApiFormat.OPENAI_RESPONSES) {
            return response;
        }
        return response.map(reply -> rememberResponseId(reply, match.sessionId()));
    }

    private ProxyResponse rememberResponseId(ProxyResponse reply, String sessionId) {
        if (reply.status() < 200 || reply.status() >= 300) {
            return reply;
        }
        if (reply.isEventStream()) {
            reply.observeEvents(event -> onStreamEvent(event, sessionId));
        } else {
            reply.observeChunks(new ResponseIdScan(sessionId));
        }
        return reply;
    }

    /**
     * Looks for the id in the start of a plain body as it passes, so it is known before the client has the
     * reply and can send a follow-up. OpenAI puts the id first, so this usually ends with the first chunk.
     */
    private final class ResponseIdScan implements ChunkObserver {
        private final String sessionId;
        private Buffer prefix = Buffer.buffer();

        ResponseIdScan(String sessionId) {
            this.sessionId = sessionId;
        }

        @Override
        public void onChunk(Buffer chunk) {
            if (prefix == null) {
                return;
            }
            prefix.appendBuffer(chunk, 0, Math.min(RESPONSE_ID_SCAN_BYTES - prefix.length(), chunk.length()));
            String responseId = topLevelId(prefix);
            if (responseId != null) {
                tracker.recordResponseId(responseId, sessionId);
            }
            if (responseId != null || prefix.length() >= RESPONSE_ID_SCAN_BYTES) {
                prefix = null;
            }
        }
    }

    private void onStreamEvent(SseEvent event, String sessionId) {
        if (!"response.created".equals(event.event()) && !event.data().contains("\"response.created\"")) {
            return;
        }
        try {
            JsonNode data = Json.MAPPER.readTree(event.data());
            String responseId = data.path("response").path("id").textValue();
            if ("response.created".equals(data.path("type").textValue()) && responseId != null) {
                tracker.recordResponseId(responseId, sessionId);
            }
        } catch (IOException e) {
            // Not JSON: not the event we look for.
        }
    }

    /** The top-level {@code "id"} of a JSON object, read from what may be only the start of it; null if absent. */
    static String topLevelId(Buffer json) {
        try (JsonParser parser = Json.MAPPER.getFactory().createParser(json.getBytes())) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (field.equals("id")) {
                    return value == JsonToken.VALUE_STRING ? parser.getText() : null;
                }
                parser.skipChildren();
            }
            return null;
        } catch (IOException e) {
            // The prefix ended, or the body is not JSON, before an id appeared.
            return null;
        }
    }

    /** Chat completions, Responses API and Anthropic messages: the routes whose bodies hold a conversation. */
    static boolean isConversationRoute(String path) {
        return path.endsWith("/chat/completions") || path.endsWith("/responses") || path.endsWith("/messages");
    }
}
