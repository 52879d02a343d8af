package io.gatehouse.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.pipeline.GatewayError;
import io.gatehouse.pipeline.GatewayException;
import io.gatehouse.pipeline.Json;
import io.gatehouse.provider.translate.UnsupportedFeature;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rewrites a client's JSON schema into what Gemini accepts. Gemini reads schemas into protobuf messages, so a
 * keyword it does not know fails the whole call ("Unknown name additionalProperties"); the cleaner keeps the
 * keywords Gemini documents and rewrites the common ones it lacks instead of passing them on:
 * <ul>
 *     <li>{@code $ref} is inlined from the schema's own {@code $defs}/{@code definitions}; a recursive or external
 *     reference cannot be, and is refused;</li>
 *     <li>{@code allOf} is merged into one schema, {@code const} becomes a one-value {@code enum};</li>
 *     <li>a schema with {@code properties} but no type is an object; {@code required} keeps only names that are
 *     among its properties (Gemini rejects the others);</li>
 *     <li>the other keywords Gemini lacks ({@code $schema}, {@code default}, {@code examples}, {@code not},
 *     {@code multipleOf}, {@code uniqueItems}, formats it does not know…) are dropped: they narrow or document the
 *     schema, and the model still gets its shape.</li>
 * </ul>
 * Function parameters ({@link Dialect#FUNCTION_PARAMETERS}) take Gemini's OpenAPI subset, which also has no type
 * lists, {@code oneOf}, {@code additionalProperties} nor {@code null} type: a nullable type becomes
 * {@code nullable: true}, {@code oneOf} becomes {@code anyOf}, enum values become strings. Response schemas
 * ({@link Dialect#RESPONSE_JSON_SCHEMA}) go to {@code responseJsonSchema}, which keeps more of JSON Schema.
 * One instance cleans one schema.
 */
final class SchemaCleaner {

    enum Dialect {
        /** {@code FunctionDeclaration.parameters}: Gemini's {@code Schema}, a subset of OpenAPI 3.0. */
        FUNCTION_PARAMETERS,
        /** {@code GenerationConfig.responseJsonSchema}: JSON Schema, with the keywords Gemini lists as supported. */
        RESPONSE_JSON_SCHEMA
    }

    private static final Set<String> PARAMETER_KEYWORDS_COPIED = Set.of("title", "description", "pattern",
            "minItems", "maxItems", "minProperties", "maxProperties", "minLength", "maxLength", "minimum", "maximum",
            "propertyOrdering");
    private static final Set<String> RESPONSE_KEYWORDS_COPIED = Set.of("title", "description", "format",
            "minItems", "maxItems", "minimum", "maximum", "propertyOrdering");
    /** The formats Gemini's Schema accepts, by type; others are dropped (a format is only a hint). */
    private static final Map<String, Set<String>> PARAMETER_FORMATS = Map.of(
            "string", Set.of("enum", "date-time"),
            "integer", Set.of("int32", "int64"),
            "number", Set.of("float", "double"));

    private final JsonNode root;
    private final Dialect dialect;
    /** Names the schema in messages: "tools[1] (get_weather) parameters". */
    private final String subject;
    /** The references being inlined, innermost last: a reference met again is recursive. */
    private final Deque<String> inlining = new ArrayDeque<>();

    private SchemaCleaner(JsonNode root, Dialect dialect, String subject) {
        this.root = root;
        this.dialect = dialect;
        this.subject = subject;
    }

    /**
     * The schema as Gemini takes it.
     *
     * @param subject what the schema is, for error messages ("tools[0] (get_weather) parameters")
     * @throws GatewayException a 400 when the schema is malformed or cannot be expressed for Gemini
     */
    static ObjectNode clean(JsonNode schema, Dialect dialect, String subject) {
        SchemaCleaner cleaner = new SchemaCleaner(schema, dialect, subject);
        cleaner.inlining.push("#");
        return cleaner.cleanSchema(schema, "");
    }

    private ObjectNode cleanSchema(JsonNode schema, String at) {
        if (schema.isBoolean() && schema.asBoolean()) {
            return Json.MAPPER.createObjectNode();
        }
        if (!schema.isObject()) {
            throw invalid(at, "must be a JSON schema object");
        }
        JsonNode ref = schema.get("$ref");
        if (ref != null) {
            return inlined(schema, ref, at);
        }
        ObjectNode out = Json.MAPPER.createObjectNode();
        List<ObjectNode> alternatives = new ArrayList<>();
        copyType(schema.get("type"), out, alternatives, at);
        for (Iterator<Map.Entry<String, JsonNode>> fields = schema.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            cleanKeyword(field.getKey(), field.getValue(), out, alternatives, at);
        }
        if (!out.has("enum") && schema.has("const")) {
            ArrayNode single = Json.MAPPER.createArrayNode().add(schema.get("const"));
            out.set("enum", dialect == Dialect.FUNCTION_PARAMETERS ? enumValues(single, out) : single);
        }
        if (out.has("properties") && !out.has("type")) {
            out.put("type", "object");
        }
        keepRequiredProperties(out);
        mergeAlternatives(out, alternatives, at);
        JsonNode allOf = schema.get("allOf");
        if (allOf != null) {
            for (JsonNode part : arrayOf(allOf, at + "/allOf")) {
                mergeInto(out, cleanSchema(part, at + "/allOf"));
            }
            keepRequiredProperties(out);
        }
        return out;
    }

    private void cleanKeyword(String keyword, JsonNode value, ObjectNode out, List<ObjectNode> alternatives,
                              String at) {
        boolean parameters = dialect == Dialect.FUNCTION_PARAMETERS;
        switch (keyword) {
            case "type" -> {
                // Read first, in copyType: the other keywords depend on it.
            }
            case "properties" -> {
                if (!value.isObject()) {
                    throw invalid(at + "/properties", "must be an object of schemas");
                }
                ObjectNode properties = Json.MAPPER.createObjectNode();
                for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> property = it.next();
                    properties.set(property.getKey(),
                            cleanSchema(property.getValue(), at + "/properties/" + property.getKey()));
                }
                // Gemini rejects an empty properties map ("should be non-empty for OBJECT type").
                if (!properties.isEmpty()) {
                    out.set("properties", properties);
                }
            }
            case "required" -> {
                for (JsonNode name : arrayOf(value, at + "/required")) {
                    if (!name.isTextual()) {
                        throw invalid(at + "/required", "must list property names");
                    }
                }
                out.set("required", value.deepCopy());
            }
            case "items" -> {
                if (value.isArray()) {
                    // Draft 4 tuples: prefixItems for responses; Gemini's Schema has no tuples.
                    if (!parameters) {
                        out.set("prefixItems", cleanedList(value, at + "/items"));
                    }
                } else {
                    out.set("items", cleanSchema(value, at + "/items"));
                }
            }
            case "prefixItems" -> {
                if (!parameters) {
                    out.set("prefixItems", cleanedList(arrayOf(value, at + "/prefixItems"), at + "/prefixItems"));
                }
            }
            case "additionalProperties" -> {
                if (!parameters) {
                    out.set("additionalProperties",
                            value.isBoolean() ? value : cleanSchema(value, at + "/additionalProperties"));
                }
            }
            case "anyOf", "oneOf" -> {
                ArrayNode cleaned = cleanedList(arrayOf(value, at + "/" + keyword), at + "/" + keyword);
                if (parameters) {
                    // Gemini's Schema has only anyOf; for generating a value the two read alike.
                    cleaned.forEach(alternative -> alternatives.add((ObjectNode) alternative));
                } else {
                    out.set(keyword, cleaned);
                }
            }
            case "enum" -> out.set("enum", parameters ? enumValues(arrayOf(value, at + "/enum"), out)
                    : arrayOf(value, at + "/enum").deepCopy());
            case "nullable" -> {
                if (parameters && value.isBoolean()) {
                    out.set("nullable", value);
                }
            }
            case "format" -> {
                if (parameters) {
                    Set<String> formats = PARAMETER_FORMATS.get(out.path("type").asText());
                    if (value.isTextual() && formats != null && formats.contains(value.asText())) {
                        out.set("format", value);
                    }
                } else if (value.isTextual()) {
                    out.set("format", value);
                }
            }
            default -> {
                Set<String> copied = parameters ? PARAMETER_KEYWORDS_COPIED : RESPONSE_KEYWORDS_COPIED;
                if (copied.contains(keyword)) {
                    out.set(keyword, value.deepCopy());
                }
                // Anything else is a keyword Gemini would reject: dropped, as the class comment says.
            }
        }
    }

    /** {@code type}: a name, or for JSON Schema a list of names, which Gemini's Schema spells another way. */
    private void copyType(JsonNode type, ObjectNode out, List<ObjectNode> alternatives, String at) {
        if (type == null) {
            return;
        }
        if (type.isTextual()) {
            if (dialect == Dialect.FUNCTION_PARAMETERS && type.asText().equals("null")) {
                out.put("nullable", true);
            } else {
                out.set("type", type);
            }
            return;
        }
        List<String> names = new ArrayList<>();
        for (JsonNode name : arrayOf(type, at + "/type")) {
            if (!name.isTextual()) {
                throw invalid(at + "/type", "must be a type name or a list of them");
            }
            names.add(name.asText());
        }
        if (dialect == Dialect.RESPONSE_JSON_SCHEMA) {
            out.set("type", type);
            return;
        }
        if (names.remove("null")) {
            out.put("nullable", true);
        }
        if (names.size() == 1) {
            out.put("type", names.getFirst());
        } else {
            for (String name : names) {
                alternatives.add(Json.MAPPER.createObjectNode().put("type", name));
            }
        }
    }

    /** Function parameters: anyOf without its null alternative, which is {@code nullable}, or inline when single. */
    private void mergeAlternatives(ObjectNode out, List<ObjectNode> alternatives, String at) {
        if (alternatives.isEmpty()) {
            return;
        }
        List<ObjectNode> kept = new ArrayList<>();
        for (ObjectNode alternative : alternatives) {
            if (alternative.size() == 1 && alternative.path("nullable").asBoolean()) {
                out.put("nullable", true);
            } else {
                kept.add(alternative);
            }
        }
        if (kept.size() == 1) {
            mergeInto(out, kept.getFirst());
        } else if (!kept.isEmpty()) {
            if (out.has("type")) {
                throw UnsupportedFeature.refuse(subject + " at '" + pointer(at) + "' combines a type with anyOf/oneOf "
                        + "alternatives, which Gemini's function schemas cannot express");
            }
            out.putArray("anyOf").addAll(kept);
        }
    }

    /** {@code from}'s keywords into {@code into}: properties and required add up, other keywords already set win. */
    private static void mergeInto(ObjectNode into, ObjectNode from) {
        for (Iterator<Map.Entry<String, JsonNode>> it = from.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            JsonNode existing = into.get(field.getKey());
            if (existing == null) {
                into.set(field.getKey(), field.getValue());
            } else if (field.getKey().equals("properties") && existing.isObject()) {
                ObjectNode properties = (ObjectNode) existing;
                field.getValue().fields().forEachRemaining(property -> {
                    if (!properties.has(property.getKey())) {
                        properties.set(property.getKey(), property.getValue());
                    }
                });
            } else if (field.getKey().equals("required") && existing.isArray()) {
                ArrayNode required = (ArrayNode) existing;
                for (JsonNode name : field.getValue()) {
                    if (!contains(required, name.asText())) {
                        required.add(name);
                    }
                }
            }
        }
    }

    private static void keepRequiredProperties(ObjectNode out) {
        JsonNode required = out.get("required");
        if (required == null) {
            return;
        }
        JsonNode properties = out.get("properties");
        ArrayNode kept = Json.MAPPER.createArrayNode();
        for (JsonNode name : required) {
            if (properties != null && properties.has(name.asText()) && !contains(kept, name.asText())) {
                kept.add(name);
            }
        }
        if (kept.isEmpty()) {
            out.remove("required");
        } else {
            out.set("required", kept);
        }
    }

    /** Gemini's Schema enums are strings (an integer enum is {@code ["101","201"]}); a null value means nullable. */
    private static ArrayNode enumValues(JsonNode values, ObjectNode out) {
        ArrayNode strings = Json.MAPPER.createArrayNode();
        for (JsonNode value : values) {
            if (value.isNull()) {
                out.put("nullable", true);
            } else {
                strings.add(value.isValueNode() ? value.asText() : value.toString());
            }
        }
        return strings;
    }

    /** The schema a {@code $ref} points to, with the referring schema's other keywords laid over it, cleaned. */
    private ObjectNode inlined(JsonNode schema, JsonNode ref, String at) {
        if (!ref.isTextual()) {
            throw invalid(at + "/$ref", "must be a string");
        }
        String target = ref.asText();
        if (!target.startsWith("#")) {
            throw UnsupportedFeature.refuse(subject + " refers to the external schema '" + target
                    + "', which Gemini cannot fetch; inline it in the schema");
        }
        if (inlining.contains(target)) {
            throw UnsupportedFeature.refuse(subject + " is recursive ($ref '" + target + "' at '" + pointer(at)
                    + "' refers to itself), which Gemini's schemas cannot express");
        }
        JsonNode resolved = root.at(target.substring(1));
        if (resolved.isMissingNode()) {
            throw invalid(at + "/$ref", "refers to '" + target + "', which is not in the schema");
        }
        inlining.push(target);
        try {
            ObjectNode merged = resolved.isObject() ? ((ObjectNode) resolved).deepCopy()
                    : Json.MAPPER.createObjectNode();
            schema.fields().forEachRemaining(field -> {
                if (!field.getKey().equals("$ref")) {
                    merged.set(field.getKey(), field.getValue());
                }
            });
            // Cleaned here, while the reference is on the stack, so that a cycle through it is seen.
            return cleanSchema(merged, at);
        } finally {
            inlining.pop();
        }
    }

    private ArrayNode cleanedList(JsonNode schemas, String at) {
        ArrayNode cleaned = Json.MAPPER.createArrayNode();
        int index = 0;
        for (JsonNode schema : schemas) {
            cleaned.add(cleanSchema(schema, at + "/" + index++));
        }
        return cleaned;
    }

    private JsonNode arrayOf(JsonNode value, String at) {
        if (!value.isArray()) {
            throw invalid(at, "must be an array");
        }
        return value;
    }

    private static boolean contains(ArrayNode names, String name) {
        for (JsonNode existing : names) {
            if (existing.asText().equals(name)) {
                return true;
            }
        }
        return false;
    }

    private GatewayException invalid(String at, String problem) {
        return new GatewayException(GatewayError.invalidRequest(subject + ": '" + pointer(at) + "' " + problem));
    }

    private static String pointer(String at) {
        return at.isEmpty() ? "/" : at;
    }
}
