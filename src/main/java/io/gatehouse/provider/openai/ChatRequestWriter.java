package io.gatehouse.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.pipeline.Json;
import io.gatehouse.provider.translate.Message;
import io.gatehouse.provider.translate.Part;
import io.gatehouse.provider.translate.Reasoning;
import io.gatehouse.provider.translate.ResponseFormat;
import io.gatehouse.provider.translate.Role;
import io.gatehouse.provider.translate.ToolChoice;
import io.gatehouse.provider.translate.ToolSpec;
import io.gatehouse.provider.translate.UnifiedRequest;
import io.gatehouse.provider.translate.UnsupportedFeature;

import java.util.ArrayList;
import java.util.List;

/** Writes the unified request as a {@code /chat/completions} body. */
final class ChatRequestWriter {
    /** OpenAI requires a name for a JSON schema; the other APIs have none to pass on. */
    private static final String DEFAULT_SCHEMA_NAME = "response";

    private ChatRequestWriter() {
    }

    /**
     * @param withModel       false for Azure, whose deployment in the path already names the model
     * @param tokenLimitField the field the server reads the token limit from
     */
    static ObjectNode write(UnifiedRequest request, boolean withModel, String tokenLimitField) {
        if (request.topK() != null) {
            throw UnsupportedFeature.refuse("top_k is not supported by OpenAI Chat Completions");
        }
        ObjectNode body = Json.MAPPER.createObjectNode();
        if (withModel) {
            body.put("model", request.model());
        }
        ArrayNode messages = body.putArray("messages");
        for (Part.Text system : request.system()) {
            messages.addObject().put("role", "system").put("content", system.text());
        }
        for (int i = 0; i < request.messages().size(); i++) {
            Message message = request.messages().get(i);
            if (message.role() == Role.USER) {
                writeUser(message, i, messages);
            } else {
                messages.add(assistant(message, i));
            }
        }
        writeTools(request, body);
        if (request.maxTokens() != null) {
            body.put(tokenLimitField, request.maxTokens());
        }
        if (request.temperature() != null) {
            body.put("temperature", request.temperature());
        }
        if (request.topP() != null) {
            body.put("top_p", request.topP());
        }
        if (!request.stop().isEmpty()) {
            ArrayNode stop = body.putArray("stop");
            request.stop().forEach(stop::add);
        }
        if (request.seed() != null) {
            body.put("seed", request.seed());
        }
        if (request.presencePenalty() != null) {
            body.put("presence_penalty", request.presencePenalty());
        }
        if (request.frequencyPenalty() != null) {
            body.put("frequency_penalty", request.frequencyPenalty());
        }
        if (request.responseFormat() != null) {
            body.set("response_format", responseFormat(request.responseFormat()));
        }
        String effort = reasoningEffort(request.reasoning());
        if (effort != null) {
            body.put("reasoning_effort", effort);
        }
        if (request.user() != null) {
            body.put("user", request.user());
        }
        if (request.stream()) {
            body.put("stream", true);
            // Always: a translated stream carries usage whether or not its client asked, for the gateway's
            // accounting, and the client's own encoder decides whether to pass it on.
            body.putObject("stream_options").put("include_usage", true);
        }
        return body;
    }

    /**
     * A user message's tool results become {@code tool} messages, which OpenAI wants straight after the assistant
     * message that called the tools, so they go first; the rest of the message follows as one user message.
     */
    private static void writeUser(Message message, int index, ArrayNode messages) {
        List<Part> rest = new ArrayList<>(message.parts().size());
        for (Part part : message.parts()) {
            if (part instanceof Part.ToolResult result) {
                ObjectNode tool = messages.addObject();
                tool.put("role", "tool");
                tool.put("tool_call_id", result.toolCallId());
                tool.set("content", toolResultContent(result, index));
            } else {
                rest.add(part);
            }
        }
        if (rest.isEmpty()) {
            return;
        }
        ObjectNode user = messages.addObject().put("role", "user");
        if (rest.size() == 1 && rest.getFirst() instanceof Part.Text text) {
            user.put("content", text.text());
            return;
        }
        ArrayNode content = user.putArray("content");
        for (Part part : rest) {
            switch (part) {
                case Part.Text text -> content.addObject().put("type", "text").put("text", text.text());
                case Part.Image image -> content.add(imagePart(image, index));
                case Part.Opaque opaque -> throw UnsupportedFeature.refuse("messages[" + index + "] has a '"
                        + opaque.type() + "' content part, which OpenAI Chat Completions cannot take");
                default -> throw UnsupportedFeature.refuse("messages[" + index + "] is a user message holding a "
                        + kind(part) + ", which OpenAI Chat Completions cannot take there");
            }
        }
    }

    /**
     * OpenAI's tool messages hold text only, and have no error flag: a failed call is said in words, so the
     * model still learns the tool failed rather than reading the error text as its result.
     */
    private static JsonNode toolResultContent(Part.ToolResult result, int index) {
        List<String> texts = new ArrayList<>(result.content().size());
        for (Part part : result.content()) {
            if (!(part instanceof Part.Text text)) {
                throw UnsupportedFeature.refuse("messages[" + index + "] has a tool result for "
                        + result.toolCallId() + " holding " + kind(part)
                        + "; OpenAI tool messages can only hold text");
            }
            texts.add(text.text());
        }
        if (result.isError()) {
            if (texts.isEmpty()) {
                texts.add("Error");
            } else {
                texts.set(0, "Error: " + texts.getFirst());
            }
        }
        if (texts.size() <= 1) {
            return Json.MAPPER.getNodeFactory().textNode(texts.isEmpty() ? "" : texts.getFirst());
        }
        ArrayNode parts = Json.MAPPER.createArrayNode();
        texts.forEach(text -> parts.addObject().put("type", "text").put("text", text));
        return parts;
    }

    private static ObjectNode imagePart(Part.Image image, int index) {
        ObjectNode part = Json.MAPPER.createObjectNode().put("type", "image_url");
        ObjectNode imageUrl = part.putObject("image_url");
        if (image.inline()) {
            if (image.mediaType() == null) {
                throw UnsupportedFeature.refuse("messages[" + index + "] has an inline image without a media type");
            }
            imageUrl.put("url", "data:" + image.mediaType() + ";base64," + image.base64());
        } else {
            imageUrl.put("url", image.url());
        }
        if (image.detail() != null) {
            imageUrl.put("detail", image.detail());
        }
        return part;
    }

    /**
     * Text joined into one string (what every OpenAI-compatible server takes), tool calls with their arguments as
     * the model wrote them. Thinking from earlier turns is not sent: Chat Completions has no way to take reasoning
     * back, and signatures are only good at the provider that made them.
     */
    private static ObjectNode assistant(Message message, int index) {
        StringBuilder text = null;
        ArrayNode toolCalls = null;
        for (Part part : message.parts()) {
            switch (part) {
                case Part.Text t -> text = (text == null ? new StringBuilder() : text).append(t.text());
                case Part.ToolCall call -> {
                    toolCalls = toolCalls == null ? Json.MAPPER.createArrayNode() : toolCalls;
                    ObjectNode json = toolCalls.addObject();
                    json.put("id", call.id());
                    json.put("type", "function");
                    json.putObject("function").put("name", call.name()).put("arguments", call.arguments());
                }
                case Part.Thinking ignored -> {
                    // Not sent: see above.
                }
                case Part.RedactedThinking ignored -> {
                    // Not sent: see above.
                }
                default -> throw UnsupportedFeature.refuse("messages[" + index + "] is an assistant message holding"
                        + " a " + kind(part) + ", which OpenAI Chat Completions cannot take there");
            }
        }
        ObjectNode assistant = Json.MAPPER.createObjectNode().put("role", "assistant");
        if (text != null) {
            assistant.put("content", text.toString());
        } else if (toolCalls != null) {
            assistant.putNull("content");
        } else {
            // An answer that was all thinking: OpenAI wants content or tool calls on every assistant message.
            assistant.put("content", "");
        }
        if (toolCalls != null) {
            assistant.set("tool_calls", toolCalls);
        }
        return assistant;
    }

    private static String kind(Part part) {
        return switch (part) {
            case Part.Text ignored -> "text";
            case Part.Image ignored -> "image";
            case Part.ToolCall ignored -> "tool call";
            case Part.ToolResult ignored -> "tool result";
            case Part.Thinking ignored -> "thinking block";
            case Part.RedactedThinking ignored -> "redacted thinking block";
            case Part.Opaque opaque -> "'" + opaque.type() + "' part";
        };
    }

    private static void writeTools(UnifiedRequest request, ObjectNode body) {
        // OpenAI refuses tool_choice and parallel_tool_calls without tools; with no tools they change nothing.
        if (request.tools().isEmpty()) {
            return;
        }
        ArrayNode tools = body.putArray("tools");
        for (ToolSpec spec : request.tools()) {
            ObjectNode function = tools.addObject().put("type", "function").putObject("function");
            function.put("name", spec.name());
            if (spec.description() != null) {
                function.put("description", spec.description());
            }
            if (spec.parameters() != null) {
                function.set("parameters", Boolean.TRUE.equals(spec.strict())
                        ? StrictSchema.withoutUnsupportedKeywords(spec.parameters()) : spec.parameters());
            }
            if (spec.strict() != null) {
                function.put("strict", spec.strict());
            }
        }
        ToolChoice choice = request.toolChoice();
        if (choice == null) {
            return;
        }
        if (choice.mode() != null) {
            switch (choice.mode()) {
                case AUTO -> body.put("tool_choice", "auto");
                case NONE -> body.put("tool_choice", "none");
                case REQUIRED -> body.put("tool_choice", "required");
                case NAMED -> body.putObject("tool_choice").put("type", "function")
                        .putObject("function").put("name", choice.name());
            }
        }
        if (choice.parallel() != null) {
            body.put("parallel_tool_calls", choice.parallel());
        }
    }

    private static ObjectNode responseFormat(ResponseFormat format) {
        ObjectNode json = Json.MAPPER.createObjectNode();
        switch (format.kind()) {
            case TEXT -> json.put("type", "text");
            case JSON_OBJECT -> json.put("type", "json_object");
            case JSON_SCHEMA -> {
                json.put("type", "json_schema");
                ObjectNode schema = json.putObject("json_schema");
                schema.put("name", format.name() == null ? DEFAULT_SCHEMA_NAME : format.name());
                if (format.schema() != null) {
                    schema.set("schema", Boolean.TRUE.equals(format.strict())
                            ? StrictSchema.withoutUnsupportedKeywords(format.schema()) : format.schema());
                }
                if (format.strict() != null) {
                    schema.put("strict", format.strict());
                }
            }
        }
        return json;
    }

    /**
     * OpenAI takes an effort, Anthropic and Gemini a budget of thinking tokens. A budget alone becomes an effort by
     * its size: under 4k tokens low, under 16k medium, more high.
     */
    private static String reasoningEffort(Reasoning reasoning) {
        if (reasoning == null) {
            return null;
        }
        if (reasoning.effort() != null) {
            return reasoning.effort();
        }
        if (reasoning.budgetTokens() == null) {
            return null;
        }
        int budget = reasoning.budgetTokens();
        if (budget < 4_096) {
            return "low";
        }
        return budget < 16_384 ? "medium" : "high";
    }
}
