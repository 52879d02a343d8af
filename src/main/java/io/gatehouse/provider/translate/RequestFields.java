package io.gatehouse.provider.translate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.pipeline.GatewayError;
import io.gatehouse.pipeline.GatewayException;

/**
 * Typed reads of a client's request body, for the inbound codecs. A field of the wrong type, or a required one that
 * is missing, fails the call with a 400 naming the field by its path, never a NullPointerException or
 * ClassCastException further on; JSON null counts as absent. Each client API names paths and words its complaints
 * its own way, so each has its instance: {@link #OPENAI} ({@code messages[2].content[0].image_url.url must be a
 * string}) and {@link #ANTHROPIC} ({@code messages.2.content.0.source.data: must be a string}).
 */
public final class RequestFields {
    /** OpenAI's Chat and Responses APIs. */
    public static final RequestFields OPENAI = new RequestFields("[", "]", " ", " is required");
    /** Anthropic's Messages API. */
    public static final RequestFields ANTHROPIC = new RequestFields(".", "", ": ", ": field required");

    private final String indexOpening;
    private final String indexClosing;
    /** Between a path and what is wrong with it. */
    private final String complaintSeparator;
    private final String missingComplaint;

    private RequestFields(String indexOpening, String indexClosing, String complaintSeparator, String missingComplaint) {
        this.indexOpening = indexOpening;
        this.indexClosing = indexClosing;
        this.complaintSeparator = complaintSeparator;
        this.missingComplaint = missingComplaint;
    }

    public static GatewayException invalid(String message) {
        return new GatewayException(GatewayError.invalidRequest(message));
    }

    public String path(String parent, String field) {
        return parent.isEmpty() ? field : parent + "." + field;
    }

    public String path(String parent, int index) {
        return parent + indexOpening + index + indexClosing;
    }

    /** The field's value, or null when it is absent or JSON null. */
    public static JsonNode present(JsonNode parent, String field) {
        JsonNode value = parent.get(field);
        return value == null || value.isNull() ? null : value;
    }

    public JsonNode required(JsonNode parent, String field, String parentPath) {
        return orMissing(present(parent, field), field, parentPath);
    }

    public String requiredText(JsonNode parent, String field, String parentPath) {
        return orMissing(optionalText(parent, field, parentPath), field, parentPath);
    }

    public String optionalText(JsonNode parent, String field, String parentPath) {
        JsonNode value = present(parent, field);
        if (value != null && !value.isTextual()) {
            throw wrongType(path(parentPath, field), "a string");
        }
        return value == null ? null : value.textValue();
    }

    public Integer optionalInt(JsonNode parent, String field, String parentPath) {
        JsonNode value = present(parent, field);
        if (value != null && (!value.isIntegralNumber() || !value.canConvertToInt())) {
            throw wrongType(path(parentPath, field), "an integer");
        }
        return value == null ? null : value.intValue();
    }

    public Long optionalLong(JsonNode parent, String field, String parentPath) {
        JsonNode value = present(parent, field);
        if (value != null && (!value.isIntegralNumber() || !value.canConvertToLong())) {
            throw wrongType(path(parentPath, field), "an integer");
        }
        return value == null ? null : value.longValue();
    }

    public Double optionalNumber(JsonNode parent, String field, String parentPath) {
        JsonNode value = present(parent, field);
        if (value != null && !value.isNumber()) {
            throw wrongType(path(parentPath, field), "a number");
        }
        return value == null ? null : value.doubleValue();
    }

    public Boolean optionalBoolean(JsonNode parent, String field, String parentPath) {
        JsonNode value = present(parent, field);
        if (value != null && !value.isBoolean()) {
            throw wrongType(path(parentPath, field), "a boolean");
        }
        return value == null ? null : value.booleanValue();
    }

    public ObjectNode optionalObject(JsonNode parent, String field, String parentPath) {
        JsonNode value = present(parent, field);
        return value == null ? null : object(value, path(parentPath, field));
    }

    public ObjectNode requiredObject(JsonNode parent, String field, String parentPath) {
        return orMissing(optionalObject(parent, field, parentPath), field, parentPath);
    }

    public ArrayNode optionalArray(JsonNode parent, String field, String parentPath) {
        JsonNode value = present(parent, field);
        if (value != null && !(value instanceof ArrayNode)) {
            throw wrongType(path(parentPath, field), "an array");
        }
        return (ArrayNode) value;
    }

    public ArrayNode requiredArray(JsonNode parent, String field, String parentPath) {
        return orMissing(optionalArray(parent, field, parentPath), field, parentPath);
    }

    /** A value that must be an object, such as an element of an array, found at {@code path}. */
    public ObjectNode object(JsonNode value, String path) {
        if (!(value instanceof ObjectNode object)) {
            throw wrongType(path, "an object");
        }
        return object;
    }

    /** The element at {@code index} of an array whose elements must be objects. */
    public ObjectNode objectElement(ArrayNode array, int index, String arrayPath) {
        return object(array.get(index), path(arrayPath, index));
    }

    private GatewayException wrongType(String path, String type) {
        return invalid(path + complaintSeparator + "must be " + type);
    }

    /** {@code value}, read from {@code field}, when there is one; else the call fails naming the field. */
    private <T> T orMissing(T value, String field, String parentPath) {
        if (value == null) {
            throw invalid(path(parentPath, field) + missingComplaint);
        }
        return value;
    }
}
