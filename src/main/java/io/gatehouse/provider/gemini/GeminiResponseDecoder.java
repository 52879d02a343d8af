package io.gatehouse.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.pipeline.GatewayException;
import io.gatehouse.pipeline.Json;
import io.gatehouse.provider.translate.Part;
import io.gatehouse.provider.translate.StopReason;
import io.gatehouse.provider.translate.UnifiedResponse;

import java.util.ArrayList;
import java.util.List;

/** A complete GenerateContentResponse as a unified response. Only the first candidate counts: one is asked for. */
final class GeminiResponseDecoder {

    private GeminiResponseDecoder() {
    }

    static UnifiedResponse decode(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw GeminiResponses.malformed("the body is not a JSON object");
        }
        JsonNode error = body.get("error");
        if (error != null && error.isObject()) {
            throw new GatewayException(GeminiErrors.fromErrorObject(502, error));
        }
        String id = GeminiResponses.textOrNull(body.get("responseId"));
        String model = GeminiResponses.textOrNull(body.get("modelVersion"));
        JsonNode candidates = body.get("candidates");
        JsonNode candidate = candidates != null && candidates.isArray() && !candidates.isEmpty()
                ? candidates.get(0) : null;
        if (candidate == null) {
            // The prompt itself was blocked (promptFeedback.blockReason): no candidate, nothing said.
            boolean blocked = body.path("promptFeedback").hasNonNull("blockReason");
            return new UnifiedResponse(id, model, List.of(),
                    blocked ? StopReason.CONTENT_FILTER : StopReason.END_TURN, null,
                    GeminiResponses.usage(body.get("usageMetadata")));
        }
        if (!candidate.isObject()) {
            throw GeminiResponses.malformed("candidates[0] is not an object");
        }
        List<Part> content = new ArrayList<>();
        int functionCalls = 0;
        JsonNode parts = candidate.path("content").path("parts");
        for (JsonNode part : parts) {
            functionCalls += addPart(part, content, id, functionCalls);
        }
        String finishReason = GeminiResponses.textOrNull(candidate.get("finishReason"));
        return new UnifiedResponse(id, model, content, GeminiResponses.stopReason(finishReason, functionCalls > 0),
                null, GeminiResponses.usage(body.get("usageMetadata")));
    }

    /**
     * One part into the content: thought parts make a thinking block (consecutive ones one block, until a signature
     * closes it), adjacent text parts one text; a signature on any other part follows it on a carrier (see
     * {@link ThoughtSignatures}). Returns the function calls it added, 0 or 1.
     */
    private static int addPart(JsonNode part, List<Part> content, String responseId, int functionCallsSoFar) {
        if (!part.isObject()) {
            throw GeminiResponses.malformed("a content part is not an object");
        }
        String signature = GeminiResponses.textOrNull(part.get("thoughtSignature"));
        String text = GeminiResponses.textOrNull(part.get("text"));
        Part last = content.isEmpty() ? null : content.getLast();
        if (part.path("thought").asBoolean(false)) {
            String shown = signature == null ? null : ThoughtSignatures.shown(signature);
            if (last instanceof Part.Thinking run && run.signature() == null) {
                content.set(content.size() - 1, new Part.Thinking(run.text() + (text == null ? "" : text), shown));
            } else {
                content.add(new Part.Thinking(text == null ? "" : text, shown));
            }
            return 0;
        }
        int functionCalls = 0;
        JsonNode functionCall = part.get("functionCall");
        if (functionCall != null && functionCall.isObject()) {
            String name = GeminiResponses.textOrNull(functionCall.get("name"));
            if (name == null) {
                throw GeminiResponses.malformed("a functionCall has no name");
            }
            JsonNode args = functionCall.get("args");
            content.add(new Part.ToolCall(GeminiResponses.toolCallId(functionCall, responseId, functionCallsSoFar),
                    name, args == null || args.isNull() ? "{}" : Json.writeString(args)));
            functionCalls = 1;
        } else if (text != null) {
            if (last instanceof Part.Text previous) {
                content.set(content.size() - 1, new Part.Text(previous.text() + text));
            } else if (!text.isEmpty()) {
                content.add(new Part.Text(text));
            }
        } else if (part.get("inlineData") instanceof JsonNode data && data.isObject()) {
            // Image models answer with generated images inline.
            content.add(new Part.Image(null, GeminiResponses.textOrNull(data.get("mimeType")),
                    GeminiResponses.textOrNull(data.get("data")), null));
        } else if (part.get("fileData") instanceof JsonNode file && file.isObject()) {
            content.add(new Part.Image(GeminiResponses.textOrNull(file.get("fileUri")), null, null, null));
        } else {
            // Server-side tool output (executableCode, codeExecutionResult…), which this codec never asks for.
            for (var fields = part.fieldNames(); fields.hasNext(); ) {
                String field = fields.next();
                if (!field.equals("thoughtSignature")) {
                    content.add(new Part.Opaque(field, part));
                    break;
                }
            }
        }
        if (signature != null) {
            content.add(new Part.Thinking("", ThoughtSignatures.shown(signature)));
        }
        return functionCalls;
    }
}
