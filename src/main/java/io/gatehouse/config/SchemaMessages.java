package io.gatehouse.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.ValidationMessage;
import io.gatehouse.logging.SecretRedactor;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns the schema validator's messages into {@code key: reason} problems in the user's terms. The offending
 * value is quoted only for keys that cannot hold a credential, and then only after redaction.
 */
final class SchemaMessages {
    /** Keys from the seed's configuration that have a new name here. */
    private static final Map<String, String> RENAMED_KEYS = Map.of("middlewares", "interceptors");

    private final ConfigSchema schema;

    SchemaMessages(ConfigSchema schema) {
        this.schema = schema;
    }

    ConfigException.Problem translate(ValidationMessage message) {
        ConfigPath path = pathOf(message.getInstanceLocation());
        JsonNode keyword = message.getSchemaNode();
        JsonNode owner = schema.at(message.getSchemaLocation().getFragment().getParent());
        JsonNode value = message.getInstanceNode();
        String custom = owner.path(ConfigSchema.ERROR_MESSAGE).path(message.getType()).textValue();
        return switch (message.getType()) {
            case "additionalProperties" -> problem(path.child(message.getProperty()), unknownKey(message.getProperty(), owner));
            case "propertyNames" -> problem(path.child(message.getProperty()), fill(custom, "is not a valid key (got {value})",
                    "", TextNode.valueOf(message.getProperty()), path.child(message.getProperty())));
            case "required" -> problem(path.child(message.getProperty()), "required key missing");
            case "type" -> problem(path, "must be " + typeName(keyword) + " (got " + actualType(value) + ")");
            case "enum" -> problem(path, fill(custom, "must be one of {allowed} (got {value})", list(keyword), value, path));
            case "not" -> problem(path, fill(custom, "must not be one of {allowed} (got {value})", list(keyword.path("enum")), value, path));
            case "pattern" -> problem(path, fill(custom, "must match {allowed} (got {value})", keyword.asText(), value, path));
            case "minimum", "maximum" -> problem(path, range(owner) + " (got " + shown(value, path) + ")");
            case "exclusiveMinimum" -> problem(path, "must be greater than " + keyword.asText() + " (got " + shown(value, path) + ")");
            case "minLength" -> problem(path, "must not be empty");
            default -> problem(path, withoutLocation(message));
        };
    }

    private static ConfigException.Problem problem(ConfigPath path, String reason) {
        return new ConfigException.Problem(path.toString(), reason);
    }

    private static String unknownKey(String key, JsonNode owner) {
        List<String> allowed = new ArrayList<>();
        owner.path("properties").fieldNames().forEachRemaining(allowed::add);
        String renamed = RENAMED_KEYS.get(key);
        return "unknown key (allowed: " + String.join(", ", allowed) + ")"
                + (renamed != null && allowed.contains(renamed) ? "; did you mean " + renamed + "?" : "");
    }

    private static String range(JsonNode owner) {
        JsonNode minimum = owner.path("minimum");
        JsonNode maximum = owner.path("maximum");
        if (!minimum.isMissingNode() && !maximum.isMissingNode()) {
            return "must be between " + minimum.asText() + " and " + maximum.asText();
        }
        return minimum.isMissingNode() ? "must be at most " + maximum.asText() : "must be at least " + minimum.asText();
    }

    private static String fill(String custom, String fallback, String allowed, JsonNode value, ConfigPath path) {
        return (custom != null ? custom : fallback).replace("{allowed}", allowed).replace("{value}", shown(value, path));
    }

    /** The value as the user wrote it, unless the key may hold a credential. */
    private static String shown(JsonNode value, ConfigPath path) {
        if (path.isSecret()) {
            return "a hidden value";
        }
        return value.isValueNode() ? SecretRedactor.redact(value.toString()) : actualType(value);
    }

    private static String list(JsonNode values) {
        List<String> texts = new ArrayList<>();
        values.forEach(each -> texts.add(each.asText()));
        return String.join(", ", texts);
    }

    /** {@code "integer"} → {@code an integer}; {@code ["string","null"]} → {@code a string or null}. */
    private static String typeName(JsonNode expected) {
        if (expected.isTextual()) {
            return typeName(expected.textValue(), null);
        }
        List<String> names = new ArrayList<>();
        expected.forEach(each -> names.add(typeName(each.textValue(), null)));
        return String.join(" or ", names);
    }

    private static String actualType(JsonNode value) {
        return typeName(value.getNodeType().name().toLowerCase(Locale.ROOT), value);
    }

    private static String typeName(String jsonType, JsonNode value) {
        return switch (jsonType) {
            case "object" -> "a mapping";
            case "array" -> "a list";
            case "integer" -> "an integer";
            case "null", "missing" -> "null";
            case "number" -> value != null && value.isIntegralNumber() ? "an integer" : "a number";
            default -> "a " + jsonType;
        };
    }

    private static String withoutLocation(ValidationMessage message) {
        String text = message.getMessage();
        int colon = text.indexOf(": ");
        return colon >= 0 && text.startsWith(message.getInstanceLocation().toString()) ? text.substring(colon + 2) : text;
    }

    static ConfigPath pathOf(JsonNodePath location) {
        ConfigPath path = ConfigPath.ROOT;
        for (int i = 0; i < location.getNameCount(); i++) {
            Object element = location.getElement(i);
            path = element instanceof Integer index ? path.index(index) : path.child((String) element);
        }
        return path;
    }
}
