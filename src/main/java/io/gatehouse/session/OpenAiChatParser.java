package io.gatehouse.session;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

import static io.gatehouse.session.MessageBuilder.textOrNull;

/** OpenAI Chat Completions: {@code messages} with string or part-list content and assistant {@code tool_calls}. */
final class OpenAiChatParser {
    private OpenAiChatParser() {
    }

    static Conversation parse(JsonNode body) {
        JsonNode array = body.path("messages");
        List<Message> messages = new ArrayList<>();
        for (JsonNode message : array) {
            messages.add(message(message));
        }
        return new Conversation(ApiFormat.OPENAI_CHAT, systemPrompt(array), messages, null);
    }

    /** The first system message, else the first developer message (its successor for reasoning models). */
    static String systemPrompt(JsonNode messages) {
        String developer = null;
        for (JsonNode message : messages) {
            String role = message.path("role").asText();
            if (role.equals("system")) {
                return promptText(message);
            }
            if (role.equals("developer") && developer == null) {
                developer = promptText(message);
            }
        }
        return developer;
    }

    private static String promptText(JsonNode message) {
        String text = ContentText.of(message.get("content"));
        return text == null ? "" : text;
    }

    private static Message message(JsonNode message) {
        String role = message.path("role").asText("unknown");
        MessageBuilder builder = new MessageBuilder()
                .field("name", textOrNull(message.get("name")))
                .field("call.id", textOrNull(message.get("tool_call_id")));
        content(message.get("content"), builder);
        builder.field("refusal", textOrNull(message.get("refusal")));
        for (JsonNode call : message.path("tool_calls")) {
            builder.field("type", call.path("type").asText("function"))
                    .field("call.id", textOrNull(call.get("id")))
                    .field("call.name", textOrNull(call.path("function").get("name")))
                    .value("call.arguments", call.path("function").get("arguments"));
        }
        JsonNode legacyCall = message.get("function_call");
        if (legacyCall != null && legacyCall.isObject()) {
            builder.field("type", "function_call")
                    .field("call.name", textOrNull(legacyCall.get("name")))
                    .value("call.arguments", legacyCall.get("arguments"));
        }
        builder.field("audio.id", textOrNull(message.path("audio").get("id")));
        return builder.build(role, origin(role));
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
            case "text" -> builder.text(textOrNull(part.get("text")));
            case "image_url" -> {
                JsonNode image = part.path("image_url");
                builder.field("type", type).url("image", image.isTextual() ? image.asText() : textOrNull(image.get("url")));
            }
            case "input_audio" -> builder.field("type", type)
                    .field("audio.format", textOrNull(part.path("input_audio").get("format")))
                    .payload("audio", textOrNull(part.path("input_audio").get("data")));
            case "file" -> builder.field("type", type)
                    .field("file.id", textOrNull(part.path("file").get("file_id")))
                    .field("file.name", textOrNull(part.path("file").get("filename")))
                    .payload("file", textOrNull(part.path("file").get("file_data")));
            case "refusal" -> builder.field("refusal", textOrNull(part.get("refusal")));
            default -> builder.unknownPart(part);
        }
    }

    private static Message.Origin origin(String role) {
        return switch (role) {
            case "system", "developer" -> Message.Origin.SYSTEM;
            case "user", "tool", "function" -> Message.Origin.CLIENT;
            case "assistant" -> Message.Origin.LLM;
            default -> Message.Origin.OTHER;
        };
    }
}
