package io.gatehouse.provider.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.pipeline.Json;
import io.gatehouse.provider.translate.Part;
import io.gatehouse.provider.translate.UnifiedResponse;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Reads a Converse response: {@code {output: {message: {role, content}}, stopReason, usage, metrics,
 * additionalModelResponseFields}}.
 */
final class ConverseResponseDecoder {

    private ConverseResponseDecoder() {
    }

    /**
     * The response in the unified shape. Converse names neither the response nor the model: the id is derived
     * from the body ({@code bedrock-} and a name-based UUID of its bytes), so the same answer always gets the same
     * id; the model is null, the caller knows which one it asked.
     */
    static UnifiedResponse decode(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ConverseJson.malformed("the body is not a JSON object");
        }
        JsonNode content = body.path("output").path("message").get("content");
        if (content == null || !content.isArray()) {
            throw ConverseJson.malformed("output.message.content is not an array");
        }
        List<Part> parts = new ArrayList<>(content.size());
        for (int i = 0; i < content.size(); i++) {
            parts.add(part(content.get(i), "output.message.content[" + i + "]"));
        }
        JsonNode stopReason = body.get("stopReason");
        return new UnifiedResponse(idOf(body), null, parts,
                ConverseJson.stopReason(stopReason == null ? null : stopReason.asText()),
                ConverseJson.stopSequence(body.get("additionalModelResponseFields")),
                ConverseJson.usage(body.get("usage")));
    }

    static String idOf(JsonNode body) {
        return "bedrock-" + UUID.nameUUIDFromBytes(Json.write(body));
    }

    private static Part part(JsonNode block, String where) {
        if (block == null || !block.isObject() || block.isEmpty()) {
            throw ConverseJson.malformed(where + " is not a content block");
        }
        if (block.has("text")) {
            return new Part.Text(text(block.get("text"), where + ".text"));
        }
        JsonNode toolUse = block.get("toolUse");
        if (toolUse != null) {
            JsonNode input = toolUse.get("input");
            return new Part.ToolCall(text(toolUse.get("toolUseId"), where + ".toolUse.toolUseId"),
                    text(toolUse.get("name"), where + ".toolUse.name"),
                    input == null || input.isNull() ? "{}" : Json.writeString(input));
        }
        JsonNode reasoning = block.get("reasoningContent");
        if (reasoning != null) {
            JsonNode reasoningText = reasoning.get("reasoningText");
            if (reasoningText != null) {
                JsonNode signature = reasoningText.get("signature");
                return new Part.Thinking(text(reasoningText.get("text"), where + ".reasoningContent.reasoningText.text"),
                        signature == null || signature.isNull() ? null : signature.asText());
            }
            return new Part.RedactedThinking(text(reasoning.get("redactedContent"),
                    where + ".reasoningContent.redactedContent"));
        }
        // Citations, images, documents, guardrail blocks: kept whole, under their Converse name.
        return new Part.Opaque(block.properties().iterator().next().getKey(), block);
    }

    private static String text(JsonNode value, String where) {
        if (value == null || !value.isTextual()) {
            throw ConverseJson.malformed(where + " is not a string");
        }
        return value.asText();
    }
}
