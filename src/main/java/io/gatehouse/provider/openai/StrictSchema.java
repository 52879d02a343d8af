package io.gatehouse.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;
import java.util.Set;

/**
 * A JSON schema as OpenAI's strict mode (Structured Outputs, strict tools) accepts it. Strict mode supports a subset
 * of JSON Schema and answers 400 to a schema using anything else, so the keywords its documentation lists as
 * unsupported are taken out: the answer still has the schema's shape, only those extra constraints are not enforced.
 * Schemas written for other providers (Gemini's, Anthropic's) use them freely.
 */
final class StrictSchema {
    private static final Set<String> UNSUPPORTED = Set.of(
            "allOf", "not", "if", "then", "else", "dependentRequired", "dependentSchemas",
            "patternProperties", "unevaluatedProperties", "propertyNames", "minProperties", "maxProperties",
            "minLength", "maxLength",
            "unevaluatedItems", "contains", "minContains", "maxContains", "uniqueItems");
    /** Keywords whose value is a map of names to subschemas. */
    private static final Set<String> SCHEMA_MAPS = Set.of("properties", "$defs", "definitions");
    /** Keywords whose value is a subschema, or an array of them. */
    private static final Set<String> SUBSCHEMAS = Set.of("items", "prefixItems", "anyOf", "oneOf",
            "additionalProperties");

    private StrictSchema() {
    }

    /** A copy of {@code schema} without the keywords strict mode rejects; the original is not changed. */
    static JsonNode withoutUnsupportedKeywords(JsonNode schema) {
        if (schema == null) {
            return null;
        }
        JsonNode copy = schema.deepCopy();
        clean(copy);
        return copy;
    }

    private static void clean(JsonNode schema) {
        if (!(schema instanceof ObjectNode object)) {
            return;
        }
        object.remove(UNSUPPORTED);
        for (Map.Entry<String, JsonNode> keyword : object.properties()) {
            JsonNode value = keyword.getValue();
            if (SCHEMA_MAPS.contains(keyword.getKey()) && value instanceof ObjectNode named) {
                // The names here are property names, not keywords: only their schemas are cleaned.
                for (JsonNode subschema : named) {
                    clean(subschema);
                }
            } else if (SUBSCHEMAS.contains(keyword.getKey())) {
                if (value instanceof ArrayNode list) {
                    list.forEach(StrictSchema::clean);
                } else {
                    clean(value);
                }
            }
        }
    }
}
