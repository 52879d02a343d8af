package io.gatehouse.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.provider.translate.Message;
import io.gatehouse.provider.translate.Part;
import io.gatehouse.provider.translate.Reasoning;
import io.gatehouse.provider.translate.ResponseFormat;
import io.gatehouse.provider.translate.Role;
import io.gatehouse.provider.translate.ToolChoice;
import io.gatehouse.provider.translate.ToolSpec;
import io.gatehouse.provider.translate.UnifiedRequest;
import io.gatehouse.provider.translate.UnsupportedFeature;
import io.gatehouse.provider.translate.RequestFields;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.gatehouse.provider.translate.RequestFields.invalid;
import static io.gatehouse.provider.translate.RequestFields.present;

/** Reads a {@code /v1/chat/completions} request body into the unified shape. */
final class ChatRequestReader {
    private static final RequestFields FIELDS = RequestFields.OPENAI;

    /** Fields read into the unified request. */
    private static final Set<String> TRANSLATED = Set.of("model", "messages", "tools", "tool_choice",
            "parallel_tool_calls", "max_tokens", "max_completion_tokens", "temperature", "top_p", "stop", "seed",
            "presence_penalty", "frequency_penalty", "response_format", "reasoning_effort", "user", "stream",
            "stream_options");
    /**
     * Settings of OpenAI's platform rather than of the answer: whether OpenAI keeps the completion (store) and
     * what it files it under (metadata), which capacity pool serves it (service_tier), its prompt-cache routing
     * hint (prompt_cache_key) and abuse-monitoring id (safety_identifier). Another provider has none of these
     * and the answer does not depend on them, so they are left behind.
     */
    private static final Set<String> PLATFORM_ONLY = Set.of("store", "metadata", "service_tier", "prompt_cache_key",
            "safety_identifier");
    /** Content part types the unified shape has no model of; the target's codec decides whether it can send them. */
    private static final Set<String> OPAQUE_PART_TYPES = Set.of("file", "input_audio");

    private ChatRequestReader() {
    }

    static UnifiedRequest read(JsonNode body) {
        if (!(body instanceof ObjectNode request)) {
            throw invalid("The request body must be a JSON object");
        }
        refuseUntranslatableFields(request);
        String model = FIELDS.requiredText(request, "model", "");
        Conversation conversation = readMessages(FIELDS.requiredArray(request, "messages", ""));
        Integer maxCompletionTokens = FIELDS.optionalInt(request, "max_completion_tokens", "");
        String reasoningEffort = FIELDS.optionalText(request, "reasoning_effort", "");
        boolean stream = Boolean.TRUE.equals(FIELDS.optionalBoolean(request, "stream", ""));
        ObjectNode streamOptions = FIELDS.optionalObject(request, "stream_options", "");
        boolean includeUsage = streamOptions != null
                && Boolean.TRUE.equals(FIELDS.optionalBoolean(streamOptions, "include_usage", "stream_options"));
        return new UnifiedRequest(
                model,
                conversation.system,
                conversation.messages,
                readTools(FIELDS.optionalArray(request, "tools", "")),
                readToolChoice(request),
                maxCompletionTokens != null ? maxCompletionTokens : FIELDS.optionalInt(request, "max_tokens", ""),
                FIELDS.optionalNumber(request, "temperature", ""),
                FIELDS.optionalNumber(request, "top_p", ""),
                null,
                readStop(request),
                FIELDS.optionalLong(request, "seed", ""),
                FIELDS.optionalNumber(request, "presence_penalty", ""),
                FIELDS.optionalNumber(request, "frequency_penalty", ""),
                readResponseFormat(FIELDS.optionalObject(request, "response_format", "")),
                reasoningEffort == null ? null : new Reasoning(reasoningEffort, null),
                FIELDS.optionalText(request, "user", ""),
                stream,
                includeUsage);
    }

    /**
     * Fields that change the answer but have no home in the unified shape are refused by name rather than dropped;
     * so is any field this codec does not know, since it may be one of those too.
     */
    private static void refuseUntranslatableFields(ObjectNode request) {
        for (Map.Entry<String, JsonNode> field : request.properties()) {
            String name = field.getKey();
            JsonNode value = field.getValue();
            if (TRANSLATED.contains(name) || PLATFORM_ONLY.contains(name) || value.isNull()) {
                continue;
            }
            String reason = switch (name) {
                case "n" -> value.isIntegralNumber() && value.intValue() == 1 ? null : "n (several choices)";
                case "logprobs" -> value.isBoolean() && !value.booleanValue() ? null : "logprobs";
                case "top_logprobs" -> value.isIntegralNumber() && value.intValue() == 0 ? null : "top_logprobs";
                case "logit_bias" -> value.isObject() && value.isEmpty() ? null : "logit_bias";
                case "modalities" -> onlyText(value) ? null : "modalities other than text";
                case "audio" -> "audio output";
                case "prediction" -> "prediction (predicted outputs)";
                case "web_search_options" -> "web_search_options";
                case "functions", "function_call" -> name + " (legacy function calling; use tools and tool_choice)";
                default -> name;
            };
            if (reason != null) {
                throw UnsupportedFeature.refuse(
                        "The request field " + reason + " cannot be translated for this model's provider");
            }
        }
    }

    private static boolean onlyText(JsonNode modalities) {
        if (!modalities.isArray()) {
            return false;
        }
        for (JsonNode modality : modalities) {
            if (!"text".equals(modality.asText())) {
                return false;
            }
        }
        return true;
    }

    private record Conversation(List<Part.Text> system, List<Message> messages) {
    }

    private static Conversation readMessages(ArrayNode messages) {
        List<Part.Text> system = new ArrayList<>();
        List<Message> turns = new ArrayList<>();
        // Consecutive tool messages and a user message right after them make one unified user message, as in
        // Anthropic's API: the results first, then what the user added.
        List<Part> pendingUserParts = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            String at = FIELDS.path("messages", i);
            ObjectNode message = FIELDS.objectElement(messages, i, "messages");
            String role = FIELDS.requiredText(message, "role", at);
            if (present(message, "name") != null) {
                throw UnsupportedFeature.refuse(FIELDS.path(at, "name") + " (a participant name) cannot be translated"
                        + " for this model's provider");
            }
            switch (role) {
                // Every API a call is translated for holds the system prompt in one slot ahead of the turns
                // (calls to OpenAI itself are never translated), so there is nowhere else to put a system message
                // found between turns. Its text and the order among system messages are kept; such instructions
                // address the whole conversation, which is how every provider reads its system prompt.
                case "system", "developer" -> system.addAll(readTextContent(message, at));
                case "user" -> {
                    pendingUserParts.addAll(readUserContent(message, at));
                    flushUser(pendingUserParts, turns);
                }
                case "tool" -> pendingUserParts.add(readToolResult(message, at));
                case "assistant" -> {
                    flushUser(pendingUserParts, turns);
                    turns.add(new Message(Role.ASSISTANT, readAssistant(message, at)));
                }
                case "function" -> throw UnsupportedFeature.refuse(FIELDS.path(at, "role") + " 'function' (legacy function"
                        + " calling) cannot be translated for this model's provider; use tool messages");
                default -> throw invalid(FIELDS.path(at, "role") + " must be one of system, developer, user, assistant,"
                        + " tool; got '" + role + "'");
            }
        }
        flushUser(pendingUserParts, turns);
        return new Conversation(system, turns);
    }

    private static void flushUser(List<Part> parts, List<Message> turns) {
        if (!parts.isEmpty()) {
            turns.add(new Message(Role.USER, parts));
            parts.clear();
        }
    }

    /** System and developer content: a string, or an array of text parts. */
    private static List<Part.Text> readTextContent(ObjectNode message, String at) {
        JsonNode content = present(message, "content");
        String contentPath = FIELDS.path(at, "content");
        if (content == null) {
            throw invalid(contentPath + " is required");
        }
        if (content.isTextual()) {
            return List.of(new Part.Text(content.textValue()));
        }
        if (!(content instanceof ArrayNode parts)) {
            throw invalid(contentPath + " must be a string or an array of content parts");
        }
        List<Part.Text> texts = new ArrayList<>();
        for (int j = 0; j < parts.size(); j++) {
            String partPath = FIELDS.path(contentPath, j);
            ObjectNode part = FIELDS.objectElement(parts, j, contentPath);
            String type = FIELDS.requiredText(part, "type", partPath);
            if (!type.equals("text")) {
                throw invalid(FIELDS.path(partPath, "type") + " must be 'text' in this message; got '" + type + "'");
            }
            texts.add(new Part.Text(FIELDS.requiredText(part, "text", partPath)));
        }
        return texts;
    }

    private static List<Part> readUserContent(ObjectNode message, String at) {
        JsonNode content = present(message, "content");
        String contentPath = FIELDS.path(at, "content");
        if (content == null) {
            throw invalid(contentPath + " is required");
        }
        return readParts(content, contentPath);
    }

    /** Content as a string or an array of text, image and opaque parts. */
    private static List<Part> readParts(JsonNode content, String contentPath) {
        if (content.isTextual()) {
            return List.of(new Part.Text(content.textValue()));
        }
        if (!(content instanceof ArrayNode parts)) {
            throw invalid(contentPath + " must be a string or an array of content parts");
        }
        List<Part> read = new ArrayList<>(parts.size());
        for (int j = 0; j < parts.size(); j++) {
            read.add(readPart(FIELDS.objectElement(parts, j, contentPath), FIELDS.path(contentPath, j)));
        }
        return read;
    }

    private static Part readPart(ObjectNode part, String at) {
        String type = FIELDS.requiredText(part, "type", at);
        return switch (type) {
            case "text" -> new Part.Text(FIELDS.requiredText(part, "text", at));
            case "image_url" -> readImage(FIELDS.requiredObject(part, "image_url", at), FIELDS.path(at, "image_url"));
            default -> {
                if (OPAQUE_PART_TYPES.contains(type)) {
                    yield new Part.Opaque(type, part);
                }
                throw invalid(FIELDS.path(at, "type") + " '" + type + "' is not a content part type of this message");
            }
        };
    }

    /** A URL as is; a {@code data:} URL split into its media type and base64 data. */
    private static Part.Image readImage(ObjectNode image, String at) {
        String url = FIELDS.requiredText(image, "url", at);
        String detail = FIELDS.optionalText(image, "detail", at);
        if (!url.regionMatches(true, 0, "data:", 0, 5)) {
            return new Part.Image(url, null, null, detail);
        }
        int comma = url.indexOf(',');
        String header = comma < 0 ? "" : url.substring(5, comma);
        if (!header.endsWith(";base64")) {
            throw invalid(FIELDS.path(at, "url") + " must be an http(s) URL or a base64 data URL (data:image/png;base64,…)");
        }
        String mediaType = header.substring(0, header.length() - ";base64".length());
        if (mediaType.isEmpty()) {
            throw invalid(FIELDS.path(at, "url") + " must name the image's media type (data:image/png;base64,…)");
        }
        return new Part.Image(null, mediaType, url.substring(comma + 1), detail);
    }

    private static Part.ToolResult readToolResult(ObjectNode message, String at) {
        String toolCallId = FIELDS.requiredText(message, "tool_call_id", at);
        JsonNode content = present(message, "content");
        if (content == null) {
            throw invalid(FIELDS.path(at, "content") + " is required");
        }
        // OpenAI's tool messages have no error flag: a failed tool says so in its content.
        return new Part.ToolResult(toolCallId, readParts(content, FIELDS.path(at, "content")), false);
    }

    /** Thinking first, then text, then tool calls: the order every provider wants them back in. */
    private static List<Part> readAssistant(ObjectNode message, String at) {
        if (present(message, "audio") != null) {
            throw UnsupportedFeature.refuse(FIELDS.path(at, "audio") + " (an earlier audio answer) cannot be translated"
                    + " for this model's provider");
        }
        if (present(message, "function_call") != null) {
            throw UnsupportedFeature.refuse(FIELDS.path(at, "function_call") + " (legacy function calling) cannot be"
                    + " translated for this model's provider; use tool_calls");
        }
        List<Part> parts = new ArrayList<>(readThinking(message, at));
        JsonNode content = present(message, "content");
        if (content != null) {
            parts.addAll(readAssistantText(content, FIELDS.path(at, "content")));
        }
        String refusal = FIELDS.optionalText(message, "refusal", at);
        if (refusal != null) {
            parts.add(new Part.Text(refusal));
        }
        ArrayNode toolCalls = FIELDS.optionalArray(message, "tool_calls", at);
        if (toolCalls != null) {
            String callsPath = FIELDS.path(at, "tool_calls");
            for (int j = 0; j < toolCalls.size(); j++) {
                parts.add(readToolCall(FIELDS.objectElement(toolCalls, j, callsPath), FIELDS.path(callsPath, j)));
            }
        }
        return parts;
    }

    /**
     * The thinking blocks this codec put on an earlier answer, signatures and all; failing those, the bare reasoning
     * text an OpenAI-compatible server sent, which carries no signature.
     */
    private static List<Part> readThinking(ObjectNode message, String at) {
        ArrayNode blocks = FIELDS.optionalArray(message, ChatWire.THINKING_BLOCKS, at);
        if (blocks != null) {
            String blocksPath = FIELDS.path(at, ChatWire.THINKING_BLOCKS);
            List<Part> parts = new ArrayList<>(blocks.size());
            for (int j = 0; j < blocks.size(); j++) {
                String blockPath = FIELDS.path(blocksPath, j);
                ObjectNode block = FIELDS.objectElement(blocks, j, blocksPath);
                String type = FIELDS.requiredText(block, "type", blockPath);
                parts.add(switch (type) {
                    case "thinking" -> new Part.Thinking(FIELDS.requiredText(block, "thinking", blockPath),
                            FIELDS.optionalText(block, "signature", blockPath));
                    case "redacted_thinking" -> new Part.RedactedThinking(FIELDS.requiredText(block, "data", blockPath));
                    default -> throw invalid(FIELDS.path(blockPath, "type") + " must be thinking or redacted_thinking;"
                            + " got '" + type + "'");
                });
            }
            return parts;
        }
        String reasoning = FIELDS.optionalText(message, ChatWire.REASONING_CONTENT, at);
        if (reasoning == null) {
            reasoning = FIELDS.optionalText(message, ChatWire.REASONING, at);
        }
        return reasoning == null || reasoning.isEmpty() ? List.of() : List.of(new Part.Thinking(reasoning, null));
    }

    /** Assistant content: a string, or text and refusal parts. */
    private static List<Part> readAssistantText(JsonNode content, String contentPath) {
        if (content.isTextual()) {
            return content.textValue().isEmpty() ? List.of() : List.of(new Part.Text(content.textValue()));
        }
        if (!(content instanceof ArrayNode parts)) {
            throw invalid(contentPath + " must be a string or an array of content parts");
        }
        List<Part> texts = new ArrayList<>(parts.size());
        for (int j = 0; j < parts.size(); j++) {
            String partPath = FIELDS.path(contentPath, j);
            ObjectNode part = FIELDS.objectElement(parts, j, contentPath);
            String type = FIELDS.requiredText(part, "type", partPath);
            texts.add(new Part.Text(switch (type) {
                case "text" -> FIELDS.requiredText(part, "text", partPath);
                case "refusal" -> FIELDS.requiredText(part, "refusal", partPath);
                default -> throw invalid(FIELDS.path(partPath, "type") + " must be text or refusal in an assistant message;"
                        + " got '" + type + "'");
            }));
        }
        return texts;
    }

    private static Part.ToolCall readToolCall(ObjectNode call, String at) {
        String type = FIELDS.optionalText(call, "type", at);
        if (type != null && !type.equals("function")) {
            throw UnsupportedFeature.refuse(FIELDS.path(at, "type") + " '" + type + "' tool calls cannot be translated for"
                    + " this model's provider");
        }
        String id = FIELDS.requiredText(call, "id", at);
        ObjectNode function = FIELDS.requiredObject(call, "function", at);
        String functionPath = FIELDS.path(at, "function");
        return new Part.ToolCall(id, FIELDS.requiredText(function, "name", functionPath),
                FIELDS.requiredText(function, "arguments", functionPath));
    }

    private static List<ToolSpec> readTools(ArrayNode tools) {
        if (tools == null) {
            return List.of();
        }
        List<ToolSpec> specs = new ArrayList<>(tools.size());
        for (int i = 0; i < tools.size(); i++) {
            String at = FIELDS.path("tools", i);
            ObjectNode tool = FIELDS.objectElement(tools, i, "tools");
            String type = FIELDS.requiredText(tool, "type", at);
            if (!type.equals("function")) {
                throw UnsupportedFeature.refuse(FIELDS.path(at, "type") + " '" + type + "' tools cannot be translated for"
                        + " this model's provider");
            }
            ObjectNode function = FIELDS.requiredObject(tool, "function", at);
            String functionPath = FIELDS.path(at, "function");
            specs.add(new ToolSpec(
                    FIELDS.requiredText(function, "name", functionPath),
                    FIELDS.optionalText(function, "description", functionPath),
                    FIELDS.optionalObject(function, "parameters", functionPath),
                    FIELDS.optionalBoolean(function, "strict", functionPath)));
        }
        return specs;
    }

    private static ToolChoice readToolChoice(ObjectNode request) {
        Boolean parallel = FIELDS.optionalBoolean(request, "parallel_tool_calls", "");
        JsonNode choice = present(request, "tool_choice");
        if (choice == null) {
            return parallel == null ? null : new ToolChoice(ToolChoice.Mode.AUTO, null, parallel);
        }
        if (choice.isTextual()) {
            ToolChoice.Mode mode = switch (choice.textValue()) {
                case "auto" -> ToolChoice.Mode.AUTO;
                case "none" -> ToolChoice.Mode.NONE;
                case "required" -> ToolChoice.Mode.REQUIRED;
                default -> throw invalid("tool_choice must be auto, none, required or a named function; got '"
                        + choice.textValue() + "'");
            };
            return new ToolChoice(mode, null, parallel);
        }
        if (!(choice instanceof ObjectNode named)) {
            throw invalid("tool_choice must be a string or an object");
        }
        String type = FIELDS.requiredText(named, "type", "tool_choice");
        if (!type.equals("function")) {
            throw UnsupportedFeature.refuse("tool_choice.type '" + type + "' cannot be translated for this model's"
                    + " provider");
        }
        String name = FIELDS.requiredText(FIELDS.requiredObject(named, "function", "tool_choice"), "name", "tool_choice.function");
        return new ToolChoice(ToolChoice.Mode.NAMED, name, parallel);
    }

    private static List<String> readStop(ObjectNode request) {
        JsonNode stop = present(request, "stop");
        if (stop == null) {
            return null;
        }
        if (stop.isTextual()) {
            return List.of(stop.textValue());
        }
        if (!stop.isArray()) {
            throw invalid("stop must be a string or an array of strings");
        }
        List<String> sequences = new ArrayList<>(stop.size());
        for (JsonNode sequence : stop) {
            if (!sequence.isTextual()) {
                throw invalid("stop must be a string or an array of strings");
            }
            sequences.add(sequence.textValue());
        }
        return sequences;
    }

    private static ResponseFormat readResponseFormat(ObjectNode format) {
        if (format == null) {
            return null;
        }
        String type = FIELDS.requiredText(format, "type", "response_format");
        return switch (type) {
            case "text" -> new ResponseFormat(ResponseFormat.Kind.TEXT, null, null, null);
            case "json_object" -> new ResponseFormat(ResponseFormat.Kind.JSON_OBJECT, null, null, null);
            case "json_schema" -> {
                ObjectNode schema = FIELDS.requiredObject(format, "json_schema", "response_format");
                if (present(schema, "description") != null) {
                    throw UnsupportedFeature.refuse("response_format.json_schema.description cannot be translated"
                            + " for this model's provider; put the guidance in the prompt or the schema");
                }
                yield new ResponseFormat(ResponseFormat.Kind.JSON_SCHEMA,
                        FIELDS.requiredText(schema, "name", "response_format.json_schema"),
                        FIELDS.optionalObject(schema, "schema", "response_format.json_schema"),
                        FIELDS.optionalBoolean(schema, "strict", "response_format.json_schema"));
            }
            default -> throw invalid("response_format.type must be text, json_object or json_schema; got '"
                    + type + "'");
        };
    }
}
