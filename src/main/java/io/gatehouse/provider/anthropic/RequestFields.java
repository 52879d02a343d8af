package io.gatehouse.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.pipeline.GatewayError;
import io.gatehouse.pipeline.GatewayException;

/**
 * Typed reads of a client's request body. A field of the wrong type, or a required one that is missing, is a 400
 * naming the field by its path ({@code messages.2.content.0.source.data}, as Anthropic names them), never a
 * NullPointerException or ClassCastException further on. JSON null counts as absent.
 */
final class RequestFields {

    private RequestFields() {
    }

    static GatewayException invalid(String message) {
        return new GatewayException(GatewayError.invalidRequest(message));
    }

    static String path(String parent, String field) {
        return parent.isEmpty() ? field : parent + "." + field;
    }

    static String path(String parent, int index) {
        return parent + "." + index;
    }

    static JsonNode present(JsonNode parent, String field) {
        JsonNode value = parent.get(field);
        return value == null || value.isNull() ? null : value;
    }

    static String requiredText(JsonNode parent, String field, String parentPath) {
        String value = optionalText(parent, field, parentPath);
        if (value == null) {
            throw missing(path(parentPath, field));
        }
        return value;
    }

    static String optionalText(JsonNode parent, String field, String parentPath) {
        JsonNode value = present(parent, field);
        if (value == null) {
            return null;
        }
        if (!value.isTextual()) {
            throw invalid(path(parentPath, field) + ": must be a string");
        }
        return value.textValue();
    }

    static Integer optionalInt(JsonNode parent, String field, String parentPath) {
        JsonNode value = present(parent, field);
        if (value == null) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw invalid(path(parentPath, field) + ": must be an integer");
        }
        return value.intValue();
    }

    static Double optionalNumber(JsonNode parent, String field, String parentPath) {
        JsonNode value = present(parent, field);
        if (value == null) {
            return null;
        }
        if (!value.isNumber()) {
            throw invalid(path(parentPath, field) + ": must be a number");
        }
        return value.doubleValue();
    }

    static Boolean optionalBoolean(JsonNode parent, String field, String parentPath) {
        JsonNode value = present(parent, field);
        if (value == null) {
            return null;
        }
        if (!value.isBoolean()) {
            throw invalid(path(parentPath, field) + ": must be a boolean");
        }
        return value.booleanValue();
    }

    static ArrayNode optionalArray(JsonNode parent, String field, String parentPath) {
        JsonNode value = present(parent, field);
        if (value == null) {
            return null;
        }
        if (!(value instanceof ArrayNode array)) {
            throw invalid(path(parentPath, field) + ": must be an array");
        }
        return array;
    }

    static ArrayNode requiredArray(JsonNode parent, String field, String parentPath) {
        ArrayNode value = optionalArray(parent, field, parentPath);
        if (value == null) {
            throw missing(path(parentPath, field));
        }
        return value;
    }

    static ObjectNode optionalObject(JsonNode parent, String field, String parentPath) {
        JsonNode value = present(parent, field);
        if (value == null) {
            return null;
        }
        return object(value, path(parentPath, field));
    }

    static ObjectNode requiredObject(JsonNode parent, String field, String parentPath) {
        ObjectNode value = optionalObject(parent, field, parentPath);
        if (value == null) {
            throw missing(path(parentPath, field));
        }
        return value;
    }

    /** An element of an array that must be an object. */
    static ObjectNode object(JsonNode value, String path) {
        if (!(value instanceof ObjectNode object)) {
            throw invalid(path + ": must be an object");
        }
        return object;
    }

    private static GatewayException missing(String path) {
        return invalid(path + ": field required");
    }
}
