package io.gatehouse.provider.bedrock;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.pipeline.GatewayError;
import io.gatehouse.pipeline.GatewayException;
import io.gatehouse.pipeline.Json;
import io.gatehouse.provider.gemini.GeminiOutboundCodec;
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
import software.amazon.awssdk.utils.http.SdkHttpUtils;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a unified request as a Converse (or ConverseStream) request: {@code POST /model/{modelId}/converse} with
 * {@code {messages, system, inferenceConfig, toolConfig, additionalModelRequestFields, outputConfig,
 * requestMetadata}}. What Converse cannot carry is refused, never dropped.
 */
final class ConverseRequestEncoder {
    private static final Map<String, String> HEADERS = Map.of("content-type", "application/json");
    private static final Map<String, String> STREAM_HEADERS = Map.of("content-type", "application/json",
            "accept", "application/vnd.amazon.eventstream");

    /**
     * Thinking budgets for a reasoning effort given without one: Converse passes Anthropic's {@code thinking}
     * through, which takes a budget only. 1024 is the smallest budget Anthropic accepts.
     */
    private static final Map<String, Integer> BUDGET_OF_EFFORT = Map.of(
            "minimal", 1024, "low", 2048, "medium", 8192, "high", 24576);
    /** The JSON pointer of the stop sequence among the response fields of Anthropic's models. */
    private static final String STOP_SEQUENCE_PATH = "/stop_sequence";

    private ConverseRequestEncoder() {
    }

    static EncodedRequest encode(UnifiedRequest request) {
        if (request.model() == null || request.model().isBlank()) {
            throw invalid("model is required");
        }
        refuseWhatConverseLacks(request);
        ObjectNode body = Json.MAPPER.createObjectNode();
        boolean toolBlocks = writeMessages(body.putArray("messages"), request.messages());
        if (!request.system().isEmpty()) {
            ArrayNode system = body.putArray("system");
            for (int i = 0; i < request.system().size(); i++) {
                system.addObject().put("text", text(request.system().get(i).text(), "system[" + i + "]"));
            }
        }
        Integer thinkingBudget = thinkingBudget(request.reasoning());
        writeInferenceConfig(body, request, thinkingBudget);
        writeToolConfig(body, request, toolBlocks);
        writeAdditionalFields(body, request, thinkingBudget);
        writeOutputConfig(body, request.responseFormat());
        if (request.user() != null) {
            // Converse's free-form tags for the invocation logs: the nearest thing it has to an end-user id.
            body.putObject("requestMetadata").put("user", request.user());
        }
        String path = "/model/" + SdkHttpUtils.urlEncode(request.model())
                + (request.stream() ? "/converse-stream" : "/converse");
        return new EncodedRequest(path, null, request.stream() ? STREAM_HEADERS : HEADERS, body);
    }

    private static void refuseWhatConverseLacks(UnifiedRequest request) {
        if (request.seed() != null) {
            throw UnsupportedFeature.refuse("Bedrock Converse does not support seed");
        }
        if (request.presencePenalty() != null) {
            throw UnsupportedFeature.refuse("Bedrock Converse does not support presence_penalty");
        }
        if (request.frequencyPenalty() != null) {
            throw UnsupportedFeature.refuse("Bedrock Converse does not support frequency_penalty");
        }
        ToolChoice choice = request.toolChoice();
        if (choice != null && Boolean.FALSE.equals(choice.parallel())) {
            throw UnsupportedFeature.refuse(
                    "Bedrock Converse cannot forbid parallel tool calls (parallel_tool_calls: false)");
        }
        if (request.responseFormat() != null && request.responseFormat().kind() == ResponseFormat.Kind.JSON_OBJECT) {
            throw UnsupportedFeature.refuse("Bedrock Converse has no JSON-object mode (response_format json_object);"
                    + " use a json_schema response format");
        }
    }

    /** Writes the turns, merging consecutive ones of the same role as Converse requires; true when any holds a tool call or result. */
    private static boolean writeMessages(ArrayNode messages, List<Message> turns) {
        boolean toolBlocks = false;
        ObjectNode previous = null;
        Role previousRole = null;
        for (int i = 0; i < turns.size(); i++) {
            Message turn = turns.get(i);
            String where = "messages[" + i + "]";
            if (turn == null || turn.role() == null) {
                throw invalid(where + ".role is required");
            }
            ArrayNode content;
            if (previous != null && previousRole == turn.role()) {
                content = (ArrayNode) previous.get("content");
            } else {
                previous = messages.addObject();
                previous.put("role", turn.role() == Role.USER ? "user" : "assistant");
                content = previous.putArray("content");
                previousRole = turn.role();
            }
            for (int j = 0; j < turn.parts().size(); j++) {
                toolBlocks |= writePart(content, turn.parts().get(j), where + ".content[" + j + "]");
            }
        }
        return toolBlocks;
    }

    /** Writes one content block; true when it is a tool call or result. */
    private static boolean writePart(ArrayNode content, Part part, String where) {
        switch (part) {
            case Part.Text text -> content.addObject().put("text", text(text.text(), where + ".text"));
            case Part.Image image -> content.addObject().set("image", image(image, where));
            case Part.ToolCall call -> {
                ObjectNode toolUse = content.addObject().putObject("toolUse");
                toolUse.put("toolUseId", text(call.id(), where + ".id"));
                toolUse.put("name", text(call.name(), where + ".name"));
                toolUse.set("input", arguments(call.arguments(), where + ".arguments"));
                return true;
            }
            case Part.ToolResult result -> {
                ObjectNode toolResult = content.addObject().putObject("toolResult");
                toolResult.put("toolUseId", text(result.toolCallId(), where + ".tool_call_id"));
                ArrayNode resultContent = toolResult.putArray("content");
                for (int i = 0; i < result.content().size(); i++) {
                    writeResultContent(resultContent, result.content().get(i), where + ".content[" + i + "]");
                }
                if (result.isError()) {
                    // Sent only for errors: success is Converse's default, and models other than Anthropic's
                    // reject the field.
                    toolResult.put("status", "error");
                }
                return true;
            }
            case Part.Thinking thinking -> {
                // Only reasoning the model signed goes back: Anthropic's models refuse unsigned thinking and another
                // provider's signature (Gemini's, in a conversation that moved here), and no model needs an
                // earlier turn's reasoning to answer.
                String signature = thinking.signature();
                if (signature != null && !signature.isEmpty() && !GeminiOutboundCodec.signedByGemini(signature)) {
                    content.addObject().putObject("reasoningContent").putObject("reasoningText")
                            .put("text", text(thinking.text(), where + ".thinking")).put("signature", signature);
                }
            }
            case Part.RedactedThinking redacted -> content.addObject().putObject("reasoningContent")
                    .put("redactedContent", text(redacted.data(), where + ".data"));
            case Part.Opaque opaque -> throw UnsupportedFeature.refuse(
                    "Bedrock Converse cannot carry content of type '" + opaque.type() + "' (" + where + ")");
            case null -> throw invalid(where + " is missing");
        }
        return false;
    }

    private static void writeResultContent(ArrayNode content, Part part, String where) {
        switch (part) {
            case Part.Text text -> content.addObject().put("text", text(text.text(), where + ".text"));
            case Part.Image image -> content.addObject().set("image", image(image, where));
            case null -> throw invalid(where + " is missing");
            default -> throw UnsupportedFeature.refuse("Bedrock Converse tool results hold text and images only, not "
                    + part.getClass().getSimpleName() + " (" + where + ")");
        }
    }

    /**
     * {@code {format, source: {bytes}}}: Converse takes images inline only (or from S3), so an image by http URL
     * is refused; a data: URL is inline data and is carried.
     */
    private static ObjectNode image(Part.Image image, String where) {
        String mediaType = image.mediaType();
        String base64 = image.base64();
        if (!image.inline()) {
            String url = image.url();
            if (url == null) {
                throw invalid(where + " has neither a URL nor inline data");
            }
            int comma = url.indexOf(',');
            if (!url.startsWith("data:") || comma < 0 || !url.substring(0, comma).endsWith(";base64")) {
                throw UnsupportedFeature.refuse("Bedrock Converse takes images as bytes, not by URL (" + where
                        + "): send the image inline, base64-encoded");
            }
            mediaType = url.substring("data:".length(), comma - ";base64".length());
            base64 = url.substring(comma + 1);
        }
        if (image.detail() != null && !"auto".equals(image.detail())) {
            throw UnsupportedFeature.refuse("Bedrock Converse has no image detail setting (" + where + ".detail)");
        }
        ObjectNode block = Json.MAPPER.createObjectNode();
        block.put("format", imageFormat(mediaType, where));
        block.putObject("source").put("bytes", base64);
        return block;
    }

    private static String imageFormat(String mediaType, String where) {
        String type = mediaType == null ? "" : mediaType.toLowerCase(Locale.ROOT);
        return switch (type) {
            case "image/png" -> "png";
            case "image/jpeg", "image/jpg" -> "jpeg";
            case "image/gif" -> "gif";
            case "image/webp" -> "webp";
            default -> throw UnsupportedFeature.refuse("Bedrock Converse takes PNG, JPEG, GIF and WebP images, not '"
                    + mediaType + "' (" + where + ")");
        };
    }

    /** A tool call's arguments, JSON text, as the object Converse wants for {@code toolUse.input}. */
    private static JsonNode arguments(String arguments, String where) {
        if (arguments == null || arguments.isBlank()) {
            return Json.MAPPER.createObjectNode();
        }
        JsonNode input;
        try {
            input = Json.MAPPER.readTree(arguments);
        } catch (JsonProcessingException e) {
            throw invalid(where + " is not valid JSON");
        }
        if (input == null || !input.isObject()) {
            throw invalid(where + " must be a JSON object");
        }
        return input;
    }

    /**
     * @param thinkingBudget the thinking budget, or null: Anthropic's models count thinking within maxTokens and
     *                       refuse a budget that is not below it, so a limit that leaves no room for it is raised by
     *                       the budget, leaving the answer the room the client asked for on top of the thinking
     */
    private static void writeInferenceConfig(ObjectNode body, UnifiedRequest request, Integer thinkingBudget) {
        if (request.maxTokens() == null && request.temperature() == null && request.topP() == null
                && request.stop().isEmpty()) {
            return;
        }
        ObjectNode config = body.putObject("inferenceConfig");
        if (request.maxTokens() != null) {
            int maxTokens = request.maxTokens();
            config.put("maxTokens", thinkingBudget != null && maxTokens <= thinkingBudget
                    ? thinkingBudget + maxTokens : maxTokens);
        }
        if (request.temperature() != null) {
            config.put("temperature", request.temperature());
        }
        if (request.topP() != null) {
            config.put("topP", request.topP());
        }
        if (!request.stop().isEmpty()) {
            ArrayNode stop = config.putArray("stopSequences");
            for (int i = 0; i < request.stop().size(); i++) {
                stop.add(text(request.stop().get(i), "stop[" + i + "]"));
            }
            // Converse reports which stop sequence ended the answer only among the model's own response fields,
            // and only those asked for by path (Anthropic's models name it stop_sequence).
            body.putArray("additionalModelResponseFieldPaths").add(STOP_SEQUENCE_PATH);
        }
    }

    /**
     * {@code toolConfig: {tools, toolChoice}}. Converse has no tool choice "none", and needs the tools defined
     * whenever the conversation holds tool calls or results: without such blocks, "none" is carried by sending no
     * tools at all; with them it cannot be, and is refused.
     */
    private static void writeToolConfig(ObjectNode body, UnifiedRequest request, boolean toolBlocks) {
        ToolChoice choice = request.toolChoice();
        boolean none = choice != null && choice.mode() == ToolChoice.Mode.NONE;
        if (request.tools().isEmpty() || none) {
            if (toolBlocks) {
                throw UnsupportedFeature.refuse(none
                        ? "Bedrock Converse has no tool_choice none: it needs the tools defined when the messages"
                        + " hold tool calls or results, and then cannot forbid calling them"
                        : "Bedrock Converse needs the tools defined when the messages hold tool calls or results");
            }
            if (choice != null && (choice.mode() == ToolChoice.Mode.REQUIRED || choice.mode() == ToolChoice.Mode.NAMED)) {
                throw invalid("tool_choice " + choice.mode().name().toLowerCase(Locale.ROOT) + " needs tools");
            }
            return;
        }
        ObjectNode config = body.putObject("toolConfig");
        ArrayNode tools = config.putArray("tools");
        for (int i = 0; i < request.tools().size(); i++) {
            tools.addObject().set("toolSpec", toolSpec(request.tools().get(i), "tools[" + i + "]"));
        }
        if (choice != null) {
            ObjectNode toolChoice = config.putObject("toolChoice");
            switch (choice.mode()) {
                case AUTO -> toolChoice.putObject("auto");
                case REQUIRED -> toolChoice.putObject("any");
                case NAMED -> toolChoice.putObject("tool").put("name", text(choice.name(), "tool_choice.name"));
                case NONE -> throw new IllegalStateException("handled above");
            }
        }
    }

    private static ObjectNode toolSpec(ToolSpec tool, String where) {
        if (tool == null) {
            throw invalid(where + " is missing");
        }
        ObjectNode spec = Json.MAPPER.createObjectNode();
        spec.put("name", text(tool.name(), where + ".name"));
        if (tool.description() != null) {
            spec.put("description", tool.description());
        }
        JsonNode schema = tool.parameters();
        if (schema == null || schema.isNull()) {
            ObjectNode empty = Json.MAPPER.createObjectNode();
            empty.put("type", "object");
            empty.putObject("properties");
            schema = empty;
        } else if (!schema.isObject()) {
            throw invalid(where + ".parameters must be a JSON schema object");
        }
        boolean strict = Boolean.TRUE.equals(tool.strict());
        spec.putObject("inputSchema").set("json", strict ? StructuredOutputSchema.sanitize(schema) : schema);
        if (strict) {
            spec.put("strict", true);
        }
        return spec;
    }

    /** The thinking budget asked for, given or from an effort; null without reasoning. */
    private static Integer thinkingBudget(Reasoning reasoning) {
        if (reasoning == null) {
            return null;
        }
        Integer budget = reasoning.budgetTokens();
        if (budget == null && reasoning.effort() != null) {
            budget = BUDGET_OF_EFFORT.get(reasoning.effort());
            if (budget == null) {
                throw invalid("reasoning_effort must be one of minimal, low, medium, high");
            }
        }
        if (budget == null) {
            throw invalid("reasoning needs a budget or an effort");
        }
        return budget;
    }

    /** Model-specific fields Converse passes through: Anthropic's {@code top_k} and {@code thinking}. */
    private static void writeAdditionalFields(ObjectNode body, UnifiedRequest request, Integer thinkingBudget) {
        if (request.topK() == null && thinkingBudget == null) {
            return;
        }
        ObjectNode fields = body.putObject("additionalModelRequestFields");
        if (request.topK() != null) {
            fields.put("top_k", request.topK());
        }
        if (thinkingBudget != null) {
            ObjectNode thinking = fields.putObject("thinking");
            thinking.put("type", "enabled");
            thinking.put("budget_tokens", thinkingBudget);
        }
    }

    /** A JSON-schema response format as Converse's structured output, the schema as a string as Converse wants it. */
    private static void writeOutputConfig(ObjectNode body, ResponseFormat format) {
        if (format == null || format.kind() != ResponseFormat.Kind.JSON_SCHEMA) {
            return;
        }
        if (format.schema() == null || !format.schema().isObject()) {
            throw invalid("response_format.json_schema.schema must be a JSON schema object");
        }
        ObjectNode textFormat = body.putObject("outputConfig").putObject("textFormat");
        textFormat.put("type", "json_schema");
        ObjectNode jsonSchema = textFormat.putObject("structure").putObject("jsonSchema");
        jsonSchema.put("schema", Json.writeString(StructuredOutputSchema.sanitize(format.schema())));
        if (format.name() != null) {
            jsonSchema.put("name", format.name());
        }
    }

    private static String text(String value, String where) {
        if (value == null) {
            throw invalid(where + " is required");
        }
        return value;
    }

    private static GatewayException invalid(String message) {
        return new GatewayException(GatewayError.invalidRequest(message));
    }
}
