package io.gatehouse.routing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.pipeline.Json;

import java.util.Map;

/** Request bodies and headers the routing tests send, in the two client APIs. */
final class RoutingRequests {
    /** What the Anthropic SDK sends besides its key. */
    static final Map<String, String> ANTHROPIC_HEADERS = Map.of("anthropic-version", "2023-06-01");

    private RoutingRequests() {
    }

    /** An OpenAI chat completion asking {@code model} one user question. */
    static String chat(String model, String text) {
        return Json.writeString(chatObject(model, text));
    }

    static ObjectNode chatObject(String model, String text) {
        ObjectNode body = Json.MAPPER.createObjectNode().put("model", model);
        body.putArray("messages").addObject().put("role", "user").put("content", text);
        return body;
    }

    /** An Anthropic Messages call asking {@code model} one user question. */
    static String messages(String model, String text) {
        return Json.writeString(messagesObject(model, text));
    }

    static ObjectNode messagesObject(String model, String text) {
        ObjectNode body = Json.MAPPER.createObjectNode().put("model", model).put("max_tokens", 256);
        body.putArray("messages").addObject().put("role", "user").put("content", text);
        return body;
    }

    static String json(ObjectNode body) {
        return Json.writeString(body);
    }
}
