package io.gatehouse.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.pipeline.Json;

/**
 * One text-bearing part of a Responses output item ({@code output_text}, {@code refusal},
 * {@code reasoning_text} or {@code summary_text}) while its deltas arrive: the part as announced, and
 * its text in a builder so that joining stays linear.
 */
final class TextPartAssembly {
    private final ObjectNode part;
    private final String textField;
    private final StringBuilder text = new StringBuilder();

    TextPartAssembly(ObjectNode part) {
        this.part = part;
        // A refusal part carries its words under "refusal"; every other part under "text".
        this.textField = "refusal".equals(part.path("type").asText()) ? "refusal" : "text";
        JsonNode announced = part.get(textField);
        if (announced != null && announced.isTextual()) {
            text.append(announced.textValue());
        }
    }

    /** A part whose deltas came without its announcement: an empty part of that type. */
    static TextPartAssembly unannounced(String type) {
        ObjectNode part = Json.MAPPER.createObjectNode().put("type", type);
        if ("output_text".equals(type)) {
            part.putArray("annotations");
        }
        return new TextPartAssembly(part);
    }

    void append(String delta) {
        text.append(delta);
    }

    void addAnnotation(JsonNode annotation) {
        ArrayNode annotations = part.get("annotations") instanceof ArrayNode existing
                ? existing : part.putArray("annotations");
        annotations.add(annotation);
    }

    ObjectNode toJson() {
        ObjectNode json = part.deepCopy();
        json.put(textField, text.toString());
        return json;
    }
}
