package io.gatehouse.provider.gemini;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.pipeline.GatewayError;
import io.gatehouse.pipeline.GatewayException;
import io.gatehouse.pipeline.Json;
import io.gatehouse.provider.translate.EncodedRequest;
import io.gatehouse.provider.translate.Message;
import io.gatehouse.provider.translate.Part;
import io.gatehouse.provider.translate.Reasoning;
import io.gatehouse.provider.translate.ResponseFormat;
import io.gatehouse.provider.translate.Role;
import io.gatehouse.provider.translate.ToolChoice;
import io.gatehouse.provider.translate.ToolSpec;
import io.gatehouse.provider.translate.UnifiedRequest;
import io.gatehouse.provider.translate.UnsupportedFeature;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A unified request as a Gemini {@code GenerateContentRequest}. One instance encodes one request: it remembers the
 * tool calls met so far, since Gemini matches a tool result to its call by the function's name, not by an id.
 */
final class GeminiRequestEncoder {
    /** Gemini takes at most this many stop sequences. */
    private static final int MAX_STOP_SEQUENCES = 5;
    /**
     * Thinking budgets for OpenAI's reasoning efforts, as Gemini's own OpenAI-compatible endpoint maps them
     * (ai.google.dev/gemini-api/docs/openai): low 1,024, medium 8,192, high 24,576 tokens, none 0 (no thinking).
     * "minimal" takes the smallest budget, as low.
     */
    private static final Map<String, Integer> BUDGET_BY_EFFORT = Map.of(
            "none", 0, "minimal", 1024, "low", 1024, "medium", 8192, "high", 24576);

    private static final Map<String, String> IMAGE_TYPES_BY_EXTENSION = Map.of("png", "image/png", "jpg",
            "image/jpeg", "jpeg", "image/jpeg", "webp", "image/webp", "heic", "image/heic", "heif", "image/heif");

    /** Function names by tool call id, from the assistant messages encoded so far. */
    private final Map<String, String> toolNamesById = new HashMap<>();

    private GeminiRequestEncoder() {
    }

    static EncodedRequest encode(UnifiedRequest request) {
        return new GeminiRequestEncoder().encodeRequest(request);
    }

    private EncodedRequest encodeRequest(UnifiedRequest request) {
        refuseWhatGeminiCannotCarry(request);
        String model = modelName(request.model());
        ObjectNode body = Json.MAPPER.createObjectNode();
        if (!request.system().isEmpty()) {
            ArrayNode parts = body.putObject("systemInstruction").putArray("parts");
            for (int i = 0; i < request.system().size(); i++) {
                parts.addObject().put("text", required(request.system().get(i).text(), "system[" + i + "].text"));
            }
        }
        ArrayNode contents = contents(request.messages());
        if (contents.isEmpty()) {
            throw invalid("the request has no message content Gemini can take");
        }
        body.set("contents", contents);
        if (!request.tools().isEmpty()) {
            body.putArray("tools").addObject().set("functionDeclarations", functionDeclarations(request.tools()));
        }
        ObjectNode toolConfig = toolConfig(request.toolChoice(), request.tools());
        if (toolConfig != null) {
            body.set("toolConfig", toolConfig);
        }
        ObjectNode generationConfig = generationConfig(request);
        if (!generationConfig.isEmpty()) {
            body.set("generationConfig", generationConfig);
        }
        return request.stream()
                ? new EncodedRequest("/v1beta/models/" + model + ":streamGenerateContent", "alt=sse", Map.of(), body)
                : new EncodedRequest("/v1beta/models/" + model + ":generateContent", null, Map.of(), body);
    }

    /**
     * Refuses what would change the answer and Gemini cannot do. An end-user id ({@code user}) is not refused: it only
     * feeds the provider's abuse monitoring, never the answer, Gemini has no field for it, and the gateway keeps it in
     * its own events and cost dimensions, so clients that always send one still reach Gemini.
     */
    private static void refuseWhatGeminiCannotCarry(UnifiedRequest request) {
        if (request.toolChoice() != null && Boolean.FALSE.equals(request.toolChoice().parallel())) {
            throw UnsupportedFeature.refuse("Gemini cannot forbid parallel tool calls: remove "
                    + "'parallel_tool_calls: false' (disable_parallel_tool_use) to send this request to Gemini");
        }
        if (request.stop().size() > MAX_STOP_SEQUENCES) {
            throw UnsupportedFeature.refuse("Gemini takes at most " + MAX_STOP_SEQUENCES + " stop sequences, this "
                    + "request has " + request.stop().size());
        }
        if (request.seed() != null && (request.seed() < Integer.MIN_VALUE || request.seed() > Integer.MAX_VALUE)) {
            throw UnsupportedFeature.refuse("Gemini's seed is a 32-bit integer; " + request.seed() + " is out of range");
        }
    }

    /** The model as it goes in the path: Gemini's "models/" prefix is the path's, so a client's copy is dropped. */
    private static String modelName(String model) {
        if (model == null || model.isBlank()) {
            throw invalid("model is missing");
        }
        String name = model.startsWith("models/") ? model.substring("models/".length()) : model;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(Character.isLetterOrDigit(c) || c == '-' || c == '.' || c == '_')) {
                throw invalid("model '" + model + "' is not a Gemini model name (letters, digits, '-', '.', '_')");
            }
        }
        return name;
    }

    // ---- contents ----

    /** The turns, same-role neighbours merged (Gemini wants user and model turns to alternate). */
    private ArrayNode contents(List<Message> messages) {
        ArrayNode contents = Json.MAPPER.createArrayNode();
        ObjectNode previous = null;
        for (int i = 0; i < messages.size(); i++) {
            Message message = messages.get(i);
            if (message.role() == null) {
                throw invalid("messages[" + i + "] has no role");
            }
            String role = message.role() == Role.USER ? "user" : "model";
            ArrayNode parts = message.role() == Role.USER ? userParts(message, i) : modelParts(message, i);
            if (parts.isEmpty()) {
                // Nothing Gemini can take (no parts, or only reasoning it cannot take back): Gemini rejects a turn
                // without parts.
                continue;
            }
            if (previous != null && previous.get("role").asText().equals(role)) {
                ((ArrayNode) previous.get("parts")).addAll(parts);
            } else {
                previous = contents.addObject().put("role", role);
                previous.set("parts", parts);
            }
        }
        return contents;
    }

    private ArrayNode userParts(Message message, int m) {
        ArrayNode parts = Json.MAPPER.createArrayNode();
        for (int p = 0; p < message.parts().size(); p++) {
            Part part = message.parts().get(p);
            String at = "messages[" + m + "].parts[" + p + "]";
            switch (part) {
                case Part.Text text -> parts.addObject().put("text", required(text.text(), at + ".text"));
                case Part.Image image -> parts.add(image(image, at));
                case Part.ToolResult result -> parts.add(functionResponse(result, at));
                case Part.Opaque opaque -> throw refuseOpaque(opaque, at);
                case Part.ToolCall ignored -> throw invalid(at + " is a tool call, which only an assistant message "
                        + "can hold");
                case Part.Thinking ignored -> throw invalid(at + " is reasoning, which only an assistant message "
                        + "can hold");
                case Part.RedactedThinking ignored -> throw invalid(at + " is reasoning, which only an assistant "
                        + "message can hold");
            }
        }
        return parts;
    }

    /**
     * A model turn. Reasoning goes back only when it is Gemini's own (see {@link ThoughtSignatures}): another
     * provider's thinking is that model's private working, signed for that provider alone, and redacted thinking
     * only its provider can read, so both are left out rather than shown to Gemini as if it had thought them.
     */
    private ArrayNode modelParts(Message message, int m) {
        ArrayNode parts = Json.MAPPER.createArrayNode();
        String signatureForNextPart = null;
        for (int p = 0; p < message.parts().size(); p++) {
            Part part = message.parts().get(p);
            String at = "messages[" + m + "].parts[" + p + "]";
            String carried = part instanceof Part.Thinking thinking ? carriedSignature(thinking) : null;
            if (carried != null) {
                // A carrier: its signature belongs to the part before it, or to the next when none comes before.
                ObjectNode previous = parts.isEmpty() ? null : (ObjectNode) parts.get(parts.size() - 1);
                if (previous != null && !previous.has("thought") && !previous.has("thoughtSignature")) {
                    previous.put("thoughtSignature", carried);
                } else {
                    signatureForNextPart = carried;
                }
                continue;
            }
            ObjectNode encoded = switch (part) {
                case Part.Text text -> Json.MAPPER.createObjectNode().put("text", required(text.text(), at + ".text"));
                case Part.Image image -> image(image, at);
                case Part.ToolCall call -> functionCall(call, at);
                case Part.Thinking thinking -> thought(thinking);
                case Part.RedactedThinking ignored -> null;
                case Part.Opaque opaque -> throw refuseOpaque(opaque, at);
                case Part.ToolResult ignored -> throw invalid(at + " is a tool result, which only a user message "
                        + "can hold");
            };
            if (encoded == null) {
                continue;
            }
            if (signatureForNextPart != null && !encoded.has("thought")) {
                encoded.put("thoughtSignature", signatureForNextPart);
                signatureForNextPart = null;
            }
            parts.add(encoded);
        }
        signUnsignedFunctionCalls(parts);
        return parts;
    }

    /**
     * Gemini 3 rejects a model turn whose function calls carry no signature (Gemini signs the first call of a
     * turn); when the history holds none, from another model or from a client API that drops them, the first call
     * gets Google's documented value that skips the check.
     */
    private static void signUnsignedFunctionCalls(ArrayNode parts) {
        ObjectNode firstFunctionCall = null;
        for (JsonNode part : parts) {
            if (part.has("functionCall")) {
                if (part.has("thoughtSignature")) {
                    return;
                }
                firstFunctionCall = firstFunctionCall == null ? (ObjectNode) part : firstFunctionCall;
            }
        }
        if (firstFunctionCall != null) {
            firstFunctionCall.put("thoughtSignature", ThoughtSignatures.SKIP_VALIDATOR);
        }
    }

    /** A thought part for Gemini's own thinking with text; null for another provider's or empty reasoning. */
    private static ObjectNode thought(Part.Thinking thinking) {
        String text = thinking.text();
        if (text == null || text.isEmpty()) {
            return null;
        }
        if (thinking.signature() == null) {
            // Unsigned thought text (Gemini's own summaries come unsigned too) goes back as a thought.
            return Json.MAPPER.createObjectNode().put("text", text).put("thought", true);
        }
        String signature = ThoughtSignatures.nativeOf(thinking.signature());
        if (signature == null) {
            return null;
        }
        return Json.MAPPER.createObjectNode().put("text", text).put("thought", true)
                .put("thoughtSignature", signature);
    }

    /** The Gemini signature a text-less thinking block carries for a neighbouring part, or null. */
    private static String carriedSignature(Part.Thinking thinking) {
        boolean textless = thinking.text() == null || thinking.text().isEmpty();
        return textless ? ThoughtSignatures.nativeOf(thinking.signature()) : null;
    }

    private ObjectNode functionCall(Part.ToolCall call, String at) {
        String name = required(call.name(), at + ".name");
        ObjectNode args;
        if (call.arguments() == null || call.arguments().isBlank()) {
            args = Json.MAPPER.createObjectNode();
        } else {
            JsonNode parsed;
            try {
                parsed = Json.MAPPER.readTree(call.arguments());
            } catch (JsonProcessingException e) {
                throw invalid(at + ": the arguments of tool call '" + name + "' are not valid JSON, and Gemini takes "
                        + "them as a JSON object");
            }
            if (parsed == null || !parsed.isObject()) {
                throw invalid(at + ": the arguments of tool call '" + name + "' are not a JSON object, which Gemini "
                        + "requires");
            }
            args = (ObjectNode) parsed;
        }
        if (call.id() != null) {
            toolNamesById.put(call.id(), name);
        }
        ObjectNode part = Json.MAPPER.createObjectNode();
        part.putObject("functionCall").put("name", name).set("args", args);
        return part;
    }

    /**
     * A tool result as Gemini's functionResponse: named after the call it answers, its text as {@code result} (or,
     * when the text is a JSON object, that object), an error's as {@code error}; inline images ride along in
     * {@code parts}.
     */
    private ObjectNode functionResponse(Part.ToolResult result, String at) {
        String name = result.toolCallId() == null ? null : toolNamesById.get(result.toolCallId());
        if (name == null) {
            throw invalid(at + " answers tool call '" + result.toolCallId() + "', which no earlier assistant "
                    + "message made; Gemini needs the call to name the function the result is for");
        }
        StringBuilder text = new StringBuilder();
        ArrayNode mediaParts = Json.MAPPER.createArrayNode();
        for (int c = 0; c < result.content().size(); c++) {
            Part content = result.content().get(c);
            String contentAt = at + ".content[" + c + "]";
            switch (content) {
                case Part.Text piece -> {
                    if (!text.isEmpty()) {
                        text.append('\n');
                    }
                    text.append(required(piece.text(), contentAt + ".text"));
                }
                case Part.Image image -> {
                    ObjectNode encoded = image(image, contentAt);
                    if (!encoded.has("inlineData")) {
                        throw UnsupportedFeature.refuse(contentAt + ": Gemini takes only inline (base64) images in "
                                + "tool results, not image URLs");
                    }
                    mediaParts.add(encoded);
                }
                default -> throw UnsupportedFeature.refuse(contentAt + ": Gemini tool results hold only text and "
                        + "images, not " + content.getClass().getSimpleName());
            }
        }
        ObjectNode functionResponse = Json.MAPPER.createObjectNode().put("name", name);
        JsonNode value = jsonObjectOrNull(text.toString());
        if (result.isError()) {
            functionResponse.putObject("response").set("error",
                    value != null ? value : Json.MAPPER.getNodeFactory().textNode(text.toString()));
        } else if (value != null) {
            functionResponse.set("response", value);
        } else {
            functionResponse.putObject("response").put("result", text.toString());
        }
        if (!mediaParts.isEmpty()) {
            functionResponse.set("parts", mediaParts);
        }
        ObjectNode part = Json.MAPPER.createObjectNode();
        part.set("functionResponse", functionResponse);
        return part;
    }

    /** The text as a JSON object when it is one; tool output is often JSON, and Gemini reads it best as such. */
    private static JsonNode jsonObjectOrNull(String text) {
        String trimmed = text.strip();
        if (trimmed.isEmpty() || trimmed.charAt(0) != '{') {
            return null;
        }
        try {
            JsonNode parsed = Json.MAPPER.readTree(trimmed);
            return parsed != null && parsed.isObject() ? parsed : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /**
     * An image: inline bytes as inlineData; a URL as fileData, which Gemini fetches itself (http(s) URLs and
     * gs:// objects); a data: URL as the inline bytes it holds.
     */
    private static ObjectNode image(Part.Image image, String at) {
        if (image.detail() != null && !image.detail().equals("auto")) {
            throw UnsupportedFeature.refuse(at + ": Gemini has no per-image detail setting, so 'detail: "
                    + image.detail() + "' cannot be sent; remove it or use 'auto'");
        }
        ObjectNode part = Json.MAPPER.createObjectNode();
        if (image.base64() != null) {
            part.putObject("inlineData")
                    .put("mimeType", required(image.mediaType(), at + ".media_type"))
                    .put("data", image.base64());
            return part;
        }
        String url = required(image.url(), at + ".url");
        if (url.regionMatches(true, 0, "data:", 0, 5)) {
            int comma = url.indexOf(',');
            int base64Marker = url.lastIndexOf(";base64", comma);
            if (comma < 0 || base64Marker < 5) {
                throw invalid(at + ".url is a data: URL without base64 data");
            }
            part.putObject("inlineData")
                    .put("mimeType", url.substring(5, base64Marker))
                    .put("data", url.substring(comma + 1));
            return part;
        }
        String scheme = url.indexOf(':') > 0 ? url.substring(0, url.indexOf(':')).toLowerCase(Locale.ROOT) : "";
        if (!scheme.equals("https") && !scheme.equals("http") && !scheme.equals("gs")) {
            throw UnsupportedFeature.refuse(at + ": Gemini fetches images only from http(s) and gs:// URLs, not '"
                    + (scheme.isEmpty() ? url : scheme + ":") + "'");
        }
        ObjectNode fileData = part.putObject("fileData");
        String mimeType = image.mediaType() != null ? image.mediaType() : imageTypeOfPath(url);
        if (mimeType != null) {
            fileData.put("mimeType", mimeType);
        }
        fileData.put("fileUri", url);
        return part;
    }

    /** The image type a URL's file extension names, for the formats Gemini reads; null when it names none. */
    private static String imageTypeOfPath(String url) {
        int end = url.length();
        for (char delimiter : new char[]{'?', '#'}) {
            int at = url.indexOf(delimiter);
            end = at >= 0 ? Math.min(end, at) : end;
        }
        String path = url.substring(0, end);
        int dot = path.lastIndexOf('.');
        return dot > path.lastIndexOf('/')
                ? IMAGE_TYPES_BY_EXTENSION.get(path.substring(dot + 1).toLowerCase(Locale.ROOT)) : null;
    }

    private static GatewayException refuseOpaque(Part.Opaque opaque, String at) {
        return UnsupportedFeature.refuse(at + ": Gemini cannot take content of type '" + opaque.type() + "'");
    }

    // ---- tools ----

    private static ArrayNode functionDeclarations(List<ToolSpec> tools) {
        ArrayNode declarations = Json.MAPPER.createArrayNode();
        for (int t = 0; t < tools.size(); t++) {
            ToolSpec tool = tools.get(t);
            String name = required(tool.name(), "tools[" + t + "].name");
            ObjectNode declaration = declarations.addObject().put("name", name);
            if (tool.description() != null) {
                declaration.put("description", tool.description());
            }
            if (tool.parameters() != null && !tool.parameters().isNull()) {
                ObjectNode parameters = SchemaCleaner.clean(tool.parameters(),
                        SchemaCleaner.Dialect.FUNCTION_PARAMETERS, "tools[" + t + "] (" + name + ") parameters");
                if (!takesNoParameters(parameters)) {
                    declaration.set("parameters", parameters);
                }
            }
        }
        return declarations;
    }

    /** An object schema without properties: Gemini rejects it ("should be non-empty"), so it is left out. */
    private static boolean takesNoParameters(ObjectNode parameters) {
        return !parameters.has("properties")
                && (parameters.isEmpty() || parameters.path("type").asText().equals("object"));
    }

    /**
     * functionCallingConfig: AUTO, NONE, ANY (a tool must be called) with allowedFunctionNames for a named tool.
     * A strict tool (OpenAI's schema adherence) asks for VALIDATED, Gemini's AUTO with calls held to their schema.
     */
    private static ObjectNode toolConfig(ToolChoice choice, List<ToolSpec> tools) {
        ToolChoice.Mode mode = choice == null ? null : choice.mode();
        if (tools.isEmpty()) {
            if (mode == ToolChoice.Mode.REQUIRED || mode == ToolChoice.Mode.NAMED) {
                throw invalid("tool_choice requires a tool call, but the request declares no tools");
            }
            return null;
        }
        boolean strict = tools.stream().anyMatch(tool -> Boolean.TRUE.equals(tool.strict()));
        String geminiMode = switch (mode == null ? ToolChoice.Mode.AUTO : mode) {
            case AUTO -> strict ? "VALIDATED" : mode == null ? null : "AUTO";
            case NONE -> "NONE";
            case REQUIRED, NAMED -> "ANY";
        };
        if (geminiMode == null) {
            return null;
        }
        ObjectNode config = Json.MAPPER.createObjectNode();
        ObjectNode functionCalling = config.putObject("functionCallingConfig").put("mode", geminiMode);
        if (mode == ToolChoice.Mode.NAMED) {
            String name = required(choice.name(), "tool_choice.name");
            if (tools.stream().noneMatch(tool -> name.equals(tool.name()))) {
                throw invalid("tool_choice names the tool '" + name + "', which is not among the request's tools");
            }
            functionCalling.putArray("allowedFunctionNames").add(name);
        }
        return config;
    }

    // ---- generationConfig ----

    private static ObjectNode generationConfig(UnifiedRequest request) {
        ObjectNode config = Json.MAPPER.createObjectNode();
        if (request.maxTokens() != null) {
            config.put("maxOutputTokens", request.maxTokens());
        }
        if (request.temperature() != null) {
            config.put("temperature", request.temperature());
        }
        if (request.topP() != null) {
            config.put("topP", request.topP());
        }
        if (request.topK() != null) {
            config.put("topK", request.topK());
        }
        if (!request.stop().isEmpty()) {
            ArrayNode stops = config.putArray("stopSequences");
            request.stop().forEach(stops::add);
        }
        if (request.seed() != null) {
            config.put("seed", request.seed().intValue());
        }
        if (request.presencePenalty() != null) {
            config.put("presencePenalty", request.presencePenalty());
        }
        if (request.frequencyPenalty() != null) {
            config.put("frequencyPenalty", request.frequencyPenalty());
        }
        responseFormat(request.responseFormat(), config);
        ObjectNode thinking = thinkingConfig(request.reasoning());
        if (thinking != null) {
            config.set("thinkingConfig", thinking);
        }
        return config;
    }

    /**
     * A JSON schema goes to responseJsonSchema, which takes JSON Schema itself (responseSchema takes the OpenAPI
     * subset function parameters use). Gemini always holds the answer to the schema, so {@code strict} needs no field.
     */
    private static void responseFormat(ResponseFormat format, ObjectNode config) {
        if (format == null || format.kind() == null) {
            return;
        }
        switch (format.kind()) {
            case TEXT -> config.put("responseMimeType", "text/plain");
            case JSON_OBJECT -> config.put("responseMimeType", "application/json");
            case JSON_SCHEMA -> {
                if (format.schema() == null || format.schema().isNull()) {
                    throw invalid("response_format.json_schema.schema is missing");
                }
                config.put("responseMimeType", "application/json");
                config.set("responseJsonSchema", SchemaCleaner.clean(format.schema(),
                        SchemaCleaner.Dialect.RESPONSE_JSON_SCHEMA, "response_format schema"));
            }
        }
    }

    /**
     * thinkingConfig: the budget as given, or the one an effort maps to ({@link #BUDGET_BY_EFFORT}); thoughts are
     * asked for whenever the model thinks, so clients get the reasoning blocks their API shows.
     */
    private static ObjectNode thinkingConfig(Reasoning reasoning) {
        if (reasoning == null || (reasoning.budgetTokens() == null && reasoning.effort() == null)) {
            return null;
        }
        int budget;
        if (reasoning.budgetTokens() != null) {
            budget = reasoning.budgetTokens();
            if (budget < -1) {
                throw invalid("the thinking budget must be at least 0 (or -1, dynamic), not " + budget);
            }
        } else {
            Integer mapped = BUDGET_BY_EFFORT.get(reasoning.effort().toLowerCase(Locale.ROOT));
            if (mapped == null) {
                throw UnsupportedFeature.refuse("reasoning effort '" + reasoning.effort() + "' has no Gemini thinking "
                        + "budget; use none, minimal, low, medium or high");
            }
            budget = mapped;
        }
        ObjectNode thinking = Json.MAPPER.createObjectNode().put("thinkingBudget", budget);
        if (budget != 0) {
            thinking.put("includeThoughts", true);
        }
        return thinking;
    }

    private static String required(String value, String field) {
        if (value == null) {
            throw invalid(field + " is missing");
        }
        return value;
    }

    private static GatewayException invalid(String message) {
        return new GatewayException(GatewayError.invalidRequest(message));
    }
}
