package io.gatehouse.provider.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.pipeline.Json;
import io.gatehouse.provider.translate.Part;
import io.gatehouse.provider.translate.StreamEvent;
import io.gatehouse.provider.translate.UnifiedResponse;

import java.util.List;

/**
 * Unified values as JSON, to compare with golden files: each record's components by name, and for a {@link Part}
 * or {@link StreamEvent} its kind first, as {@code "type"} or {@code "event"}.
 */
final class UnifiedJson {

    private UnifiedJson() {
    }

    static JsonNode response(UnifiedResponse response) {
        ObjectNode json = Json.MAPPER.valueToTree(response);
        json.set("content", parts(response.content()));
        return json;
    }

    static JsonNode events(List<StreamEvent> events) {
        ArrayNode json = Json.MAPPER.createArrayNode();
        for (StreamEvent event : events) {
            ObjectNode node = json.addObject();
            node.put("event", event.getClass().getSimpleName());
            node.setAll((ObjectNode) Json.MAPPER.valueToTree(event));
        }
        return json;
    }

    private static ArrayNode parts(List<Part> parts) {
        ArrayNode json = Json.MAPPER.createArrayNode();
        for (Part part : parts) {
            ObjectNode node = json.addObject();
            node.put("type", part.getClass().getSimpleName());
            node.setAll((ObjectNode) Json.MAPPER.valueToTree(part));
            if (part instanceof Part.ToolResult result) {
                node.set("content", parts(result.content()));
            }
        }
        return json;
    }
}
