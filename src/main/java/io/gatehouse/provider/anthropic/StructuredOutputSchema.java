package io.gatehouse.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A JSON schema rewritten into the subset Anthropic's structured outputs (and strict tools) accept, as its
 * structured-outputs guide lists it: no numeric bounds (minimum, maximum, exclusive ones, multipleOf), no string
 * lengths, no array bounds beyond {@code minItems} 0 or 1, only the documented string formats, and
 * {@code additionalProperties: false} on every object. The keywords it rejects are removed instead of failing the
 * call; each removed constraint is written into the schema's {@code description}, so the model still reads it.
 * Permitting additional properties is narrowed to none: an answer without them is valid under the client's schema.
 */
final class StructuredOutputSchema {
    private static final Set<String> UNSUPPORTED = Set.of("minimum", "maximum", "exclusiveMinimum",
            "exclusiveMaximum", "multipleOf", "minLength", "maxLength", "maxItems", "minProperties", "maxProperties");
    private static final Set<String> FORMATS = Set.of("date-time", "time", "date", "duration", "email", "hostname",
            "uri", "ipv4", "ipv6", "uuid");
    /** Keywords whose value is one schema. */
    private static final Set<String> SCHEMA_KEYWORDS = Set.of("items", "not", "contains", "if", "then", "else",
            "propertyNames", "additionalItems", "unevaluatedItems", "unevaluatedProperties");
    /** Keywords whose value is an array of schemas. */
    private static final Set<String> SCHEMA_ARRAY_KEYWORDS = Set.of("anyOf", "allOf", "oneOf", "prefixItems", "items");
    /** Keywords whose value maps names to schemas: the names are data, never keywords. */
    private static final Set<String> SCHEMA_MAP_KEYWORDS = Set.of("properties", "$defs", "definitions",
            "patternProperties", "dependentSchemas");

    private StructuredOutputSchema() {
    }

    /** A rewritten copy; {@code schema} itself is left as it was. */
    static ObjectNode forClaude(ObjectNode schema) {
        ObjectNode copy = schema.deepCopy();
        rewrite(copy);
        return copy;
    }

    private static void rewrite(ObjectNode schema) {
        List<String> keywords = new ArrayList<>(schema.size());
        schema.fieldNames().forEachRemaining(keywords::add);
        List<String> removed = new ArrayList<>(0);
        for (String keyword : keywords) {
            JsonNode value = schema.get(keyword);
            boolean unsupported = UNSUPPORTED.contains(keyword)
                    || keyword.equals("minItems") && !(value.isIntegralNumber() && value.longValue() <= 1)
                    || keyword.equals("format") && !(value.isTextual() && FORMATS.contains(value.textValue()));
            if (unsupported) {
                removed.add(keyword + ": " + (value.isTextual() ? value.textValue() : value.toString()));
                schema.remove(keyword);
            } else if (SCHEMA_MAP_KEYWORDS.contains(keyword) && value instanceof ObjectNode map) {
                map.forEach(StructuredOutputSchema::rewriteIfSchema);
            } else if (SCHEMA_ARRAY_KEYWORDS.contains(keyword) && value instanceof ArrayNode schemas) {
                schemas.forEach(StructuredOutputSchema::rewriteIfSchema);
            } else if (SCHEMA_KEYWORDS.contains(keyword)) {
                rewriteIfSchema(value);
            }
        }
        if (isObjectSchema(schema)) {
            schema.put("additionalProperties", false);
        }
        if (!removed.isEmpty()) {
            String constraints = "(" + String.join(", ", removed) + ")";
            JsonNode description = schema.get("description");
            schema.put("description", description != null && description.isTextual()
                    ? description.textValue() + " " + constraints : constraints);
        }
    }

    private static void rewriteIfSchema(JsonNode node) {
        if (node instanceof ObjectNode schema) {
            rewrite(schema);
        }
    }

    private static boolean isObjectSchema(ObjectNode schema) {
        JsonNode type = schema.get("type");
        if (type != null && type.isTextual()) {
            return type.textValue().equals("object");
        }
        if (type instanceof ArrayNode types) {
            for (JsonNode each : types) {
                if (each.isTextual() && each.textValue().equals("object")) {
                    return true;
                }
            }
            return false;
        }
        return schema.has("properties");
    }
}
