package io.gatehouse.session;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

import static io.gatehouse.session.MessageBuilder.textOrNull;

/** Anthropic Messages: {@code system} as a string or text blocks, and {@code messages} of content blocks. */
final class AnthropicParser {
    private AnthropicParser() {
    }

    static Conversation parse(JsonNode body) {
        List<Message> messages = new ArrayList<>();
        for (JsonNode message : body.path("messages")) {
            messages.add(message(message));
        }
        return new Conversation(ApiFormat.ANTHROPIC_MESSAGES, systemPrompt(body.get("system")), messages, null);
    }

    /** Like the seed, an empty {@code system} counts as none. */
    private static String systemPrompt(JsonNode system) {
        String text = ContentText.of(system);
        return text == null || text.isEmpty() ? null : text;
    }

    private static Message message(JsonNode message) {
        String role = message.path("role").asText("unknown");
        MessageBuilder builder = new MessageBuilder();
        content(message.get("content"), builder);
        Message.Origin origin = switch (role) {
            case "user" -> Message.Origin.CLIENT;
            case "assistant" -> Message.Origin.LLM;
            default -> Message.Origin.OTHER;
        };
        return builder.build(role, origin);
    }

    private static void content(JsonNode content, MessageBuilder builder) {
        if (content == null || content.isNull()) {
            return;
        }
        if (content.isTextual()) {
            builder.text(content.asText());
        } else if (content.isArray()) {
            for (JsonNode block : content) {
                block(block, builder);
            }
        } else {
            builder.value("content", content);
        }
    }

    private static void block(JsonNode block, MessageBuilder builder) {
        String type = block.path("type").asText();
        if (type.equals("text")) {
            builder.text(textOrNull(block.get("text")));
            return;
        }
        builder.field("type", type);
        switch (type) {
            case "image", "document" -> {
                source(type, block.path("source"), builder);
                builder.field(type + ".title", textOrNull(block.get("title")));
            }
            case "tool_use", "server_tool_use", "mcp_tool_use" -> builder
                    .field("call.id", textOrNull(block.get("id")))
                    .field("call.name", textOrNull(block.get("name")))
                    .value("call.input", block.get("input"));
            case "tool_result", "mcp_tool_result" -> {
                builder.field("call.id", textOrNull(block.get("tool_use_id")));
                if (block.path("is_error").asBoolean(false)) {
                    builder.field("call.error", "true");
                }
                // The result's own text belongs to the tool, not to what the user wrote.
                MessageBuilder result = new MessageBuilder();
                content(block.get("content"), result);
                builder.nested("result", result);
            }
            case "thinking" -> builder.field("thinking", textOrNull(block.get("thinking")));
            case "redacted_thinking" -> builder.payload("redacted_thinking", textOrNull(block.get("data")));
            default -> builder.unknownPart(block);
        }
    }

    private static void source(String tag, JsonNode source, MessageBuilder builder) {
        switch (source.path("type").asText()) {
            case "base64" -> builder.field(tag + ".media_type", textOrNull(source.get("media_type")))
                    .payload(tag, textOrNull(source.get("data")));
            case "url" -> builder.field(tag + ".url", textOrNull(source.get("url")));
            case "file" -> builder.field(tag + ".file", textOrNull(source.get("file_id")));
            case "text" -> builder.field(tag + ".text", textOrNull(source.get("data")));
            default -> builder.value(tag, source);
        }
    }
}
