package io.gatehouse.provider.openai.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.gatehouse.provider.translate.Message;
import io.gatehouse.provider.translate.Part;
import io.gatehouse.provider.translate.Role;
import io.gatehouse.provider.translate.UnsupportedFeature;
import io.gatehouse.provider.translate.RequestFields;

import java.util.ArrayList;
import java.util.List;

import static io.gatehouse.provider.translate.RequestFields.invalid;
import static io.gatehouse.provider.translate.RequestFields.present;

/**
 * Reads a request's {@code input} into the unified conversation. Items are turns or pieces of turns: consecutive
 * assistant-side items (an assistant message, its reasoning, its function calls) make one assistant message, as
 * the model produced them in one turn; consecutive function call outputs make one user message of tool results;
 * each user message stays its own. System and developer messages go to the system prompt, in order. One reader per
 * request.
 */
final class InputItems {
    private static final RequestFields FIELDS = RequestFields.OPENAI;

    private enum Turn {
        ASSISTANT, TOOL_RESULTS
    }

    private final List<Part.Text> system;
    private final List<Message> messages = new ArrayList<>();
    private Turn openTurn;
    private List<Part> openParts;

    /** @param system the system prompt so far ({@code instructions}), which system messages are appended to */
    InputItems(List<Part.Text> system) {
        this.system = system;
    }

    List<Message> read(JsonNode input) {
        if (input == null) {
            throw invalid("input is required");
        }
        if (input.isTextual()) {
            messages.add(new Message(Role.USER, List.of(new Part.Text(input.textValue()))));
            return messages;
        }
        if (!input.isArray()) {
            throw invalid("input must be a string or an array of items");
        }
        if (input.isEmpty()) {
            throw invalid("input must hold at least one item");
        }
        for (int i = 0; i < input.size(); i++) {
            String itemPath = FIELDS.path("input", i);
            item(FIELDS.object(input.get(i), itemPath), itemPath);
        }
        closeTurn();
        return messages;
    }

    private void item(JsonNode item, String itemPath) {
        String type = FIELDS.optionalText(item, "type", itemPath);
        // An "easy" input message has a role and no type.
        if (type == null && present(item, "role") != null) {
            type = "message";
        }
        if (type == null) {
            throw invalid(FIELDS.path(itemPath, "type") + " is required");
        }
        switch (type) {
            case "message" -> message(item, itemPath);
            case "function_call" -> add(Turn.ASSISTANT, new Part.ToolCall(
                    FIELDS.requiredText(item, "call_id", itemPath),
                    FIELDS.requiredText(item, "name", itemPath),
                    FIELDS.requiredText(item, "arguments", itemPath)));
            case "function_call_output" -> add(Turn.TOOL_RESULTS, new Part.ToolResult(
                    FIELDS.requiredText(item, "call_id", itemPath), toolOutput(item, itemPath), false));
            case "reasoning" -> reasoning(item, itemPath);
            case "item_reference" -> throw UnsupportedFeature.refuse(itemPath + " is an item_reference, which points"
                    + " at an item stored by OpenAI: send the item itself when calling a bridged provider");
            default -> throw UnsupportedFeature.refuse(itemPath + " is a '" + type + "' item, which cannot be"
                    + " bridged to another provider: only message, function_call, function_call_output and reasoning"
                    + " items can");
        }
    }

    private void message(JsonNode item, String itemPath) {
        String role = FIELDS.requiredText(item, "role", itemPath);
        JsonNode content = FIELDS.required(item, "content", itemPath);
        String contentPath = FIELDS.path(itemPath, "content");
        switch (role) {
            case "system", "developer" -> system.addAll(systemText(content, contentPath));
            case "user" -> {
                closeTurn();
                messages.add(new Message(Role.USER, content(content, contentPath)));
            }
            case "assistant" -> content(content, contentPath).forEach(part -> add(Turn.ASSISTANT, part));
            default -> throw invalid(FIELDS.path(itemPath, "role") + " must be one of user, assistant, system, developer");
        }
    }

    private static List<Part> content(JsonNode content, String contentPath) {
        if (content.isTextual()) {
            return List.of(new Part.Text(content.textValue()));
        }
        if (!content.isArray()) {
            throw invalid(contentPath + " must be a string or an array of content parts");
        }
        List<Part> parts = new ArrayList<>(content.size());
        for (int i = 0; i < content.size(); i++) {
            String partPath = FIELDS.path(contentPath, i);
            parts.add(contentPart(FIELDS.object(content.get(i), partPath), partPath));
        }
        return parts;
    }

    private static Part contentPart(JsonNode part, String partPath) {
        String type = FIELDS.requiredText(part, "type", partPath);
        return switch (type) {
            case "input_text", "output_text" -> new Part.Text(FIELDS.requiredText(part, "text", partPath));
            // A refusal the model gave in an earlier turn is what it said then.
            case "refusal" -> new Part.Text(FIELDS.requiredText(part, "refusal", partPath));
            case "input_image" -> image(part, partPath);
            case "input_file" -> throw UnsupportedFeature.refuse(partPath + " is an input_file, which cannot be"
                    + " bridged to another provider: send its text, or images as input_image");
            default -> throw UnsupportedFeature.refuse(partPath + " is '" + type + "' content, which cannot be"
                    + " bridged to another provider: only input_text, output_text, refusal and input_image can");
        };
    }

    private static List<Part.Text> systemText(JsonNode content, String contentPath) {
        List<Part.Text> texts = new ArrayList<>();
        for (Part part : content(content, contentPath)) {
            if (!(part instanceof Part.Text text)) {
                throw UnsupportedFeature.refuse(contentPath + ": a system or developer message can only hold"
                        + " text when bridged to another provider");
            }
            texts.add(text);
        }
        return texts;
    }

    private static Part.Image image(JsonNode part, String partPath) {
        if (present(part, "file_id") != null) {
            throw UnsupportedFeature.refuse(FIELDS.path(partPath, "file_id") + " names a file stored by OpenAI, which"
                    + " another provider cannot read: send the image as image_url (a URL or a data: URL)");
        }
        String url = FIELDS.requiredText(part, "image_url", partPath);
        String detail = FIELDS.optionalText(part, "detail", partPath);
        if (!url.startsWith("data:")) {
            return new Part.Image(url, null, null, detail);
        }
        // data:<media type>[;parameters];base64,<data>
        int comma = url.indexOf(',');
        String header = comma < 0 ? "" : url.substring("data:".length(), comma);
        if (!header.endsWith(";base64")) {
            throw invalid(FIELDS.path(partPath, "image_url") + " must be an http(s) URL or a base64 data: URL");
        }
        int parameters = header.indexOf(';');
        String mediaType = header.substring(0, parameters);
        if (mediaType.isEmpty()) {
            throw invalid(FIELDS.path(partPath, "image_url") + " must name the image's media type (data:image/png;base64,…)");
        }
        return new Part.Image(null, mediaType, url.substring(comma + 1), detail);
    }

    /** A function call output: a string, or text and image parts (a function may return an image). */
    private static List<Part> toolOutput(JsonNode item, String itemPath) {
        JsonNode output = FIELDS.required(item, "output", itemPath);
        String outputPath = FIELDS.path(itemPath, "output");
        if (output.isArray()) {
            for (int i = 0; i < output.size(); i++) {
                String partPath = FIELDS.path(outputPath, i);
                String type = FIELDS.requiredText(FIELDS.object(output.get(i), partPath), "type", partPath);
                if (!type.equals("input_text") && !type.equals("input_image") && !type.equals("input_file")) {
                    throw invalid(partPath + " must be input_text, input_image or input_file");
                }
            }
        }
        return content(output, outputPath);
    }

    /**
     * A reasoning item the client sends back: its summary is the thinking text and its {@code encrypted_content}
     * the provider's signature, which this codec's answers put there (see {@link OutputItems#reasoning}). An
     * Anthropic thinking block thus comes back with the exact text and signature Anthropic needs to accept it.
     */
    private void reasoning(JsonNode item, String itemPath) {
        String encrypted = FIELDS.optionalText(item, "encrypted_content", itemPath);
        if (encrypted != null && encrypted.startsWith(OutputItems.REDACTED_THINKING_PREFIX)) {
            add(Turn.ASSISTANT, new Part.RedactedThinking(
                    encrypted.substring(OutputItems.REDACTED_THINKING_PREFIX.length())));
            return;
        }
        String text = joinedTexts(item, "summary", "summary_text", itemPath);
        if (text.isEmpty()) {
            // Open-weight models served through the Responses API show their raw reasoning as content instead.
            text = joinedTexts(item, "content", "reasoning_text", itemPath);
        }
        if (text.isEmpty() && encrypted == null) {
            // A reasoning item with neither text nor signature carries nothing a provider could take back.
            return;
        }
        add(Turn.ASSISTANT, new Part.Thinking(text, encrypted));
    }

    /** The texts of an array of parts of one type, joined by blank lines as OpenAI's summaries read. */
    private static String joinedTexts(JsonNode item, String field, String partType, String itemPath) {
        ArrayNode parts = FIELDS.optionalArray(item, field, itemPath);
        if (parts == null) {
            return "";
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < parts.size(); i++) {
            String partPath = FIELDS.path(FIELDS.path(itemPath, field), i);
            JsonNode part = FIELDS.object(parts.get(i), partPath);
            String type = FIELDS.requiredText(part, "type", partPath);
            if (!type.equals(partType)) {
                throw invalid(FIELDS.path(partPath, "type") + " must be " + partType);
            }
            if (!text.isEmpty()) {
                text.append("\n\n");
            }
            text.append(FIELDS.requiredText(part, "text", partPath));
        }
        return text.toString();
    }

    private void add(Turn turn, Part part) {
        if (openTurn != turn) {
            closeTurn();
            openTurn = turn;
            openParts = new ArrayList<>();
        }
        openParts.add(part);
    }

    private void closeTurn() {
        if (openTurn != null) {
            messages.add(new Message(openTurn == Turn.ASSISTANT ? Role.ASSISTANT : Role.USER, openParts));
            openTurn = null;
            openParts = null;
        }
    }
}
