package io.gatehouse.manage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;

/**
 * A management handler's answer.
 *
 * @param body    the JSON to send; null for no body (204)
 * @param headers extra response headers (X-Total-Count on lists)
 * @param target  what the action acted on, for its audit entry; null when nothing in particular
 * @param details extra audit details (counts, changed fields); never a secret
 */
record Reply(int status, JsonNode body, Map<String, String> headers, String target, ObjectNode details) {
    static Reply ok(JsonNode body, String target) {
        return new Reply(200, body, Map.of(), target, JsonNodeFactory.instance.objectNode());
    }

    static Reply created(JsonNode body, String target) {
        return new Reply(201, body, Map.of(), target, JsonNodeFactory.instance.objectNode());
    }

    static Reply noContent(String target) {
        return new Reply(204, null, Map.of(), target, JsonNodeFactory.instance.objectNode());
    }

    Reply withHeader(String name, String value) {
        Map<String, String> more = new java.util.HashMap<>(headers);
        more.put(name, value);
        return new Reply(status, body, Map.copyOf(more), target, details);
    }
}
