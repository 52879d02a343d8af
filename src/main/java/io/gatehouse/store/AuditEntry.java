package io.gatehouse.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.gatehouse.logging.SecretRedactor;
import io.gatehouse.pipeline.Json;

import java.util.Map;

/**
 * An audit event before it is appended. Text is passed through {@link SecretRedactor}, so a key that slipped
 * into a target or a detail is masked before it is hashed and stored.
 *
 * @param actor         who acted: {@code management}, a key id, {@code anonymous}, …
 * @param action        {@code project.create}, {@code token.revoke}, {@code auth.failure}, …
 * @param target        what it acted on, such as a project or key id; may be null
 * @param outcome       {@code success}, {@code failure} or {@code denied}
 * @param requestId     the gateway request id; may be null
 * @param clientAddress the client's address; may be null
 * @param details       further fields, a JSON object
 */
public record AuditEntry(String actor, String action, String target, String outcome, String requestId,
                         String clientAddress, ObjectNode details) {
    public AuditEntry {
        require(actor, "actor");
        require(action, "action");
        require(outcome, "outcome");
        target = SecretRedactor.redact(target);
        details = details == null ? JsonNodeFactory.instance.objectNode() : (ObjectNode) redacted(details.deepCopy());
    }

    public static AuditEntry of(String actor, String action, String target, String outcome, Map<String, ?> details) {
        return new AuditEntry(actor, action, target, outcome, null, null, Json.MAPPER.valueToTree(details));
    }

    public AuditEntry withRequest(String requestId, String clientAddress) {
        return new AuditEntry(actor, action, target, outcome, requestId, clientAddress, details);
    }

    private static JsonNode redacted(JsonNode node) {
        if (node.isTextual()) {
            return TextNode.valueOf(SecretRedactor.redact(node.textValue()));
        }
        if (node instanceof ObjectNode object) {
            object.properties().forEach(field -> field.setValue(redacted(field.getValue())));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                ((ArrayNode) node).set(i, redacted(node.get(i)));
            }
        }
        return node;
    }

    private static void require(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("an audit entry needs a " + name);
        }
    }
}
