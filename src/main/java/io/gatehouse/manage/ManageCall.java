package io.gatehouse.manage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.MultiMap;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * One authenticated management request as a handler sees it: path parameters, query and JSON body, with
 * readers that refuse bad input with a 400 naming the field.
 */
final class ManageCall {
    private final List<String> pathParams;
    private final MultiMap query;
    private final ObjectNode body;

    ManageCall(List<String> pathParams, MultiMap query, ObjectNode body) {
        this.pathParams = pathParams;
        this.query = query;
        this.body = body == null ? JsonNodeFactory.instance.objectNode() : body;
    }

    /** The first {@code {id}} of the route. */
    String id() {
        return pathParams.get(0);
    }

    ObjectNode body() {
        return body;
    }

    String query(String name) {
        String value = query.get(name);
        return value == null || value.isBlank() ? null : value.trim();
    }

    int queryInt(String name, int defaultValue, int min, int max) {
        String value = query(name);
        if (value == null) {
            return defaultValue;
        }
        try {
            int parsed = Integer.parseInt(value);
            if (parsed < min || parsed > max) {
                throw ManageException.badRequest(name + " must be between " + min + " and " + max);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw ManageException.badRequest(name + " must be an integer");
        }
    }

    Instant queryTime(String name) {
        String value = query(name);
        try {
            return value == null ? null : Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ManageException.badRequest(name + " must be an RFC 3339 time such as 2026-01-31T12:00:00Z");
        }
    }

    boolean has(String field) {
        return body.has(field);
    }

    /** A string field; null when absent or JSON null. */
    String text(String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw ManageException.badRequest(field + " must be a string");
        }
        return value.textValue();
    }

    String requiredText(String field) {
        String value = text(field);
        if (value == null || value.isBlank()) {
            throw ManageException.badRequest(field + " is required");
        }
        return value;
    }

    Boolean bool(String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isBoolean()) {
            throw ManageException.badRequest(field + " must be true or false");
        }
        return value.booleanValue();
    }

    Long integer(String field, long min, long max) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.canConvertToLong() || !value.isIntegralNumber() || value.longValue() < min || value.longValue() > max) {
            throw ManageException.badRequest(field + " must be an integer between " + min + " and " + max);
        }
        return value.longValue();
    }

    /** A JSON object field; null when absent or JSON null. */
    ObjectNode object(String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isObject()) {
            throw ManageException.badRequest(field + " must be a JSON object");
        }
        return (ObjectNode) value;
    }

    /** A list of strings; null when absent or JSON null. */
    List<String> strings(String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isArray()) {
            throw ManageException.badRequest(field + " must be an array of strings");
        }
        List<String> strings = new java.util.ArrayList<>();
        for (JsonNode item : value) {
            if (!item.isTextual() || item.textValue().isBlank()) {
                throw ManageException.badRequest(field + " must be an array of non-empty strings");
            }
            strings.add(item.textValue());
        }
        return strings;
    }
}
