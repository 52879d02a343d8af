package io.gatehouse.provider.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;
import java.util.Set;

/**
 * A JSON schema made acceptable to Bedrock's structured outputs (a JSON-schema response format, or a strict tool),
 * which validate the schema against a subset of draft 2020-12 and answer 400 to the rest. The constraints the
 * constrained decoder cannot enforce (numeric bounds, string lengths, array and object sizes beyond "at least
 * one") are removed rather than sent to fail; the shape itself (types, properties, required, enums, anyOf, $ref)
 * is kept. The caller's schema is not modified.
 */
final class StructuredOutputSchema {
    private static final Set<String> REMOVED = Set.of(
            "$schema", "$id", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf",
            "minLength", "maxLength", "maxItems", "uniqueItems", "minProperties", "maxProperties", "minContains",
            "maxContains");
    /** Keywords whose value is a map of names to schemas, not a schema: the names are data, never removed. */
    private static final Set<String> SCHEMA_MAPS = Set.of("properties", "$defs", "definitions", "patternProperties",
            "dependentSchemas");

    private StructuredOutputSchema() {
    }

    static JsonNode sanitize(JsonNode schema) {
        JsonNode copy = schema.deepCopy();
        clean(copy);
        return copy;
    }

    private static void clean(JsonNode node) {
        if (node instanceof ArrayNode array) {
            array.forEach(StructuredOutputSchema::clean);
            return;
        }
        if (!(node instanceof ObjectNode schema)) {
            return;
        }
        schema.remove(REMOVED);
        JsonNode minItems = schema.get("minItems");
        if (minItems != null && minItems.asInt() > 1) {
            // Only 0 and 1 are enforceable.
            schema.remove("minItems");
        }
        for (Map.Entry<String, JsonNode> field : schema.properties()) {
            if (SCHEMA_MAPS.contains(field.getKey())) {
                field.getValue().forEach(StructuredOutputSchema::clean);
            } else if (field.getValue().isContainerNode() && !"enum".equals(field.getKey())
                    && !"const".equals(field.getKey()) && !"default".equals(field.getKey())
                    && !"examples".equals(field.getKey())) {
                clean(field.getValue());
            }
        }
    }
}
