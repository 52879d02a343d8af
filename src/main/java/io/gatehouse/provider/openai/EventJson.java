package io.gatehouse.provider.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.pipeline.Json;

/** Reading an event's data line, where anything that is not a JSON object is noise to skip. */
final class EventJson {

    private EventJson() {
    }

    /** The data as a JSON object, or null when it is not one (keep-alives, {@code [DONE]}, garbage). */
    static ObjectNode parseObject(String data) {
        try {
            return Json.MAPPER.readTree(data) instanceof ObjectNode object ? object : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** The field as an object, or null when it is absent, null or of another type. */
    static ObjectNode object(JsonNode parent, String field) {
        return parent.get(field) instanceof ObjectNode object ? object : null;
    }

    /** A value worth keeping: Azure's first chunk carries {@code "id":""}, {@code "created":0} placeholders. */
    static boolean isMeaningful(JsonNode value) {
        if (value == null || value.isNull()) {
            return false;
        }
        if (value.isTextual()) {
            return !value.textValue().isEmpty();
        }
        return !value.isNumber() || value.asLong() != 0;
    }
}
