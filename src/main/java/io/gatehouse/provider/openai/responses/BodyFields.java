package io.gatehouse.provider.openai.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.gatehouse.pipeline.GatewayError;
import io.gatehouse.pipeline.GatewayException;

/**
 * Reads a request body's fields by type. A field of the wrong type, or a required one missing, is the client's
 * mistake: a 400 naming the field by its path ({@code input[2].content[0].image_url}), never a
 * NullPointerException or ClassCastException further on. A JSON null counts as absent, as OpenAI treats it.
 */
final class BodyFields {

    private BodyFields() {
    }

    static GatewayException invalid(String message) {
        return new GatewayException(GatewayError.invalidRequest(message));
    }

    static String path(String parent, String field) {
        return parent.isEmpty() ? field : parent + "." + field;
    }

    static String path(String parent, int index) {
        return parent + "[" + index + "]";
    }

    /** The field's value, or null when it is missing or JSON null. */
    static JsonNode present(JsonNode parent, String field) {
        JsonNode value = parent.get(field);
        return value == null || value.isNull() ? null : value;
    }

    static JsonNode required(JsonNode parent, String field, String parentPath) {
        JsonNode value = present(parent, field);
        if (value == null) {
            throw invalid(path(parentPath, field) + " is required");
        }
        return value;
    }

    static String requiredText(JsonNode parent, String field, String parentPath) {
        JsonNode value = required(parent, field, parentPath);
        if (!value.isTextual()) {
            throw invalid(path(parentPath, field) + " must be a string");
        }
        return value.textValue();
    }

    static String optionalText(JsonNode parent, String field, String parentPath) {
        JsonNode value = present(parent, field);
        if (value == null) {
            return null;
        }
        if (!value.isTextual()) {
            throw invalid(path(parentPath, field) + " must be a string");
        }
        return value.textValue();
    }

    static Double optionalNumber(JsonNode parent, String field, String parentPath) {
        JsonNode value = present(parent, field);
        if (value == null) {
            return null;
        }
        if (!value.isNumber()) {
            throw invalid(path(parentPath, field) + " must be a number");
        }
        return value.doubleValue();
    }

    static Integer optionalInt(JsonNode parent, String field, String parentPath) {
        JsonNode value = present(parent, field);
        if (value == null) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw invalid(path(parentPath, field) + " must be an integer");
        }
        return value.intValue();
    }

    static Boolean optionalBoolean(JsonNode parent, String field, String parentPath) {
        JsonNode value = present(parent, field);
        if (value == null) {
            return null;
        }
        if (!value.isBoolean()) {
            throw invalid(path(parentPath, field) + " must be a boolean");
        }
        return value.booleanValue();
    }

    static JsonNode optionalObject(JsonNode parent, String field, String parentPath) {
        JsonNode value = present(parent, field);
        if (value != null && !value.isObject()) {
            throw invalid(path(parentPath, field) + " must be an object");
        }
        return value;
    }

    static ArrayNode optionalArray(JsonNode parent, String field, String parentPath) {
        JsonNode value = present(parent, field);
        if (value == null) {
            return null;
        }
        if (!value.isArray()) {
            throw invalid(path(parentPath, field) + " must be an array");
        }
        return (ArrayNode) value;
    }

    /** An element of an array that must be an object. */
    static JsonNode object(JsonNode element, String elementPath) {
        if (element == null || !element.isObject()) {
            throw invalid(elementPath + " must be an object");
        }
        return element;
    }
}
