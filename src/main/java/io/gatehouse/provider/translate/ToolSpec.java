package io.gatehouse.provider.translate;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A function the model may call.
 *
 * @param parameters its JSON schema, or null when it takes none
 * @param strict     OpenAI's strict schema adherence, or null when not asked
 */
public record ToolSpec(String name, String description, JsonNode parameters, Boolean strict) {
}
