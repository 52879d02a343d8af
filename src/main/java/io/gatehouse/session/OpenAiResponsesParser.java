package io.gatehouse.session;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

import static io.gatehouse.session.MessageBuilder.textOrNull;

/**
 * OpenAI Responses API: {@code input} as a string or a list of items (messages, {@code function_call},
 * {@code function_call_output}, {@code reasoning}, …), {@code instructions} and {@code previous_response_id}.
 */
final class OpenAiResponsesParser {
    private OpenAiResponsesParser() {
    }

    static Conversation parse(JsonNode body) {
        JsonNode input = body.path("input");
        List<Message> messages = new ArrayList<>();
        if (input.isTextual()) {
            messages.add(new MessageBuilder().text(input.asText()).build("user", Message.Origin.CLIENT));
        }
        for (JsonNode item : input) {
            messages.add(item(item));
        }
        return new Conversation(ApiFormat.OPENAI_RESPONSES, systemPrompt(body, input), messages,
                textOrNull(body.get("previous_response_id")));
    }

    /**
     * A system message in {@code input}, else {@code instructions}, as the seed takes them; only then a developer
     * message, where the seed would have fallen back to its one shared default.
     */
    private static String systemPrompt(JsonNode body, JsonNode input) {
        String developer = null;
        for (JsonNode item : input) {
            String role = item.path("role").asText();
            if (role.equals("system")) {
                return promptText(item);
            }
            if (role.equals("developer") && developer == null) {
                developer = promptText(item);
            }
        }
        String instructions = ContentText.of(body.get("instructions"));
        return instructions != null ? instructions : developer;
    }

    private static String promptText(JsonNode item) {
        String text = ContentText.of(item.get("content"));
        return text == null ? "" : text;
    }

    private static Message item(JsonNode item) {
        String role = textOrNull(item.get("role"));
        String type = item.path("type").asText("message");
        if (role != null && type.equals("message")) {
            MessageBuilder builder = new MessageBuilder();
            content(item.get("content"), builder);
            return builder.build(role, messageOrigin(role));
        }
        MessageBuilder builder = new MessageBuilder().field("type", type);
        switch (type) {
            case "function_call", "custom_tool_call" -> builder
                    .field("call.id", callId(item))
                    .field("call.name", textOrNull(item.get("name")))
                    .value("call.arguments", item.get("arguments"))
                    .value("call.input", item.get("input"));
            case "function_call_output", "custom_tool_call_output" -> {
                builder.field("call.id", callId(item));
                content(item.get("output"), builder);
            }
            case "reasoning" -> {
                builder.field("reasoning.id", textOrNull(item.get("id")));
                for (JsonNode summary : item.path("summary")) {
                    builder.field("summary", textOrNull(summary.get("text")));
                }
                for (JsonNode content : item.path("content")) {
                    builder.field("reasoning", textOrNull(content.get("text")));
                }
                builder.payload("reasoning.encrypted", textOrNull(item.get("encrypted_content")));
            }
            case "item_reference" -> builder.field("ref", textOrNull(item.get("id")));
            default -> builder.unknownPart(item);
        }
        return builder.build(type, itemOrigin(type));
    }

    /** {@code call_id} pairs a call with its output; some clients send only the item {@code id}. */
    private static String callId(JsonNode item) {
        String callId = textOrNull(item.get("call_id"));
        return callId != null ? callId : textOrNull(item.get("id"));
    }

    private static void content(JsonNode content, MessageBuilder builder) {
        if (content == null || content.isNull()) {
            return;
        }
        if (content.isTextual()) {
            builder.text(content.asText());
        } else if (content.isArray()) {
            for (JsonNode part : content) {
                part(part, builder);
            }
        } else {
            builder.value("content", content);
        }
    }

    private static void part(JsonNode part, MessageBuilder builder) {
        String type = part.path("type").asText();
        switch (type) {
            case "input_text", "output_text", "text" -> builder.text(textOrNull(part.get("text")));
            case "refusal" -> builder.field("refusal", textOrNull(part.get("refusal")));
            case "input_image" -> builder.field("type", type)
                    .url("image", textOrNull(part.get("image_url")))
                    .field("image.file", textOrNull(part.get("file_id")));
            case "input_file" -> builder.field("type", type)
                    .field("file.id", textOrNull(part.get("file_id")))
                    .url("file.url", textOrNull(part.get("file_url")))
                    .field("file.name", textOrNull(part.get("filename")))
                    .payload("file", textOrNull(part.get("file_data")));
            default -> builder.unknownPart(part);
        }
    }

    private static Message.Origin messageOrigin(String role) {
        return switch (role) {
            case "system", "developer" -> Message.Origin.SYSTEM;
            case "user" -> Message.Origin.CLIENT;
            case "assistant" -> Message.Origin.LLM;
            default -> Message.Origin.OTHER;
        };
    }

    /**
     * The model's output items are its calls ({@code function_call}, {@code web_search_call}, … all end in
     * {@code _call}) and its reasoning; what the client sends back for them ends in {@code _output}.
     */
    private static Message.Origin itemOrigin(String type) {
        if (type.endsWith("_output") || type.equals("mcp_approval_response")) {
            return Message.Origin.CLIENT;
        }
        if (type.endsWith("_call") || type.equals("reasoning") || type.equals("mcp_list_tools")
                || type.equals("mcp_approval_request")) {
            return Message.Origin.LLM;
        }
        return Message.Origin.OTHER;
    }
}
