package io.gatehouse.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.pipeline.GatewayError;
import io.gatehouse.pipeline.GatewayException;

/**
 * Typed reads of a client's request JSON. A field of the wrong type, or a required one missing, fails the call with
 * a 400 naming the field by its path ({@code messages[2].content[0].image_url.url}), so no malformed body ever gets
 * as far as a ClassCastException. An explicit JSON null reads as absent, as OpenAI's API treats it.
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
        return parent + "[" + index + "]";
    }

    /** The field's value, or null when it is absent or JSON null. */
    static JsonNode present(JsonNode parent, String field) {
        JsonNode value = parent.get(field);
        return value == null || value.isNull() ? null : value;
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

    static String requiredText(JsonNode parent, String field, String parentPath) {
        String value = optionalText(parent, field, parentPath);
        if (value == null) {
            throw invalid(path(parentPath, field) + " is required");
        }
        return value;
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

    static Long optionalLong(JsonNode parent, String field, String parentPath) {
        JsonNode value = present(parent, field);
        if (value == null) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw invalid(path(parentPath, field) + " must be an integer");
        }
        return value.longValue();
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

    static ObjectNode optionalObject(JsonNode parent, String field, String parentPath) {
        JsonNode value = present(parent, field);
        if (value == null) {
            return null;
        }
        if (!(value instanceof ObjectNode object)) {
            throw invalid(path(parentPath, field) + " must be an object");
        }
        return object;
    }

    static ObjectNode requiredObject(JsonNode parent, String field, String parentPath) {
        ObjectNode value = optionalObject(parent, field, parentPath);
        if (value == null) {
            throw invalid(path(parentPath, field) + " is required");
        }
        return value;
    }

    static ArrayNode optionalArray(JsonNode parent, String field, String parentPath) {
        JsonNode value = present(parent, field);
        if (value == null) {
            return null;
        }
        if (!(value instanceof ArrayNode array)) {
            throw invalid(path(parentPath, field) + " must be an array");
        }
        return array;
    }

    static ArrayNode requiredArray(JsonNode parent, String field, String parentPath) {
        ArrayNode value = optionalArray(parent, field, parentPath);
        if (value == null) {
            throw invalid(path(parentPath, field) + " is required");
        }
        return value;
    }

    /** An element of an array that must be an object. */
    static ObjectNode objectElement(ArrayNode array, int index, String arrayPath) {
        if (!(array.get(index) instanceof ObjectNode object)) {
            throw invalid(path(arrayPath, index) + " must be an object");
        }
        return object;
    }
}
