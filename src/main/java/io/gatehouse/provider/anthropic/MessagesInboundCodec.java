package io.gatehouse.provider.anthropic;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.pipeline.Json;
import io.gatehouse.pipeline.WireFormat;
import io.gatehouse.provider.translate.InboundApi;
import io.gatehouse.provider.translate.InboundCodec;
import io.gatehouse.provider.translate.Message;
import io.gatehouse.provider.translate.Part;
import io.gatehouse.provider.translate.Reasoning;
import io.gatehouse.provider.translate.ResponseFormat;
import io.gatehouse.provider.translate.Role;
import io.gatehouse.provider.translate.StreamEncoder;
import io.gatehouse.provider.translate.ToolChoice;
import io.gatehouse.provider.translate.ToolSpec;
import io.gatehouse.provider.translate.UnifiedRequest;
import io.gatehouse.provider.translate.UnifiedResponse;
import io.gatehouse.provider.translate.UnsupportedFeature;
import io.gatehouse.provider.translate.RequestFields;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static io.gatehouse.provider.translate.RequestFields.invalid;
import static io.gatehouse.provider.translate.RequestFields.present;

/**
 * Anthropic's {@code POST /v1/messages} as clients call it, when the call goes to another provider: the request read
 * into the unified shape, the answer written back as a Message (or its event stream).
 *
 * <p>What the unified shape cannot carry is refused, never dropped: server tools (web search, code execution…) and
 * request fields of Anthropic's own (container, MCP servers, context management…). Two kinds of field are dropped on
 * purpose, each where it is read: {@code cache_control} hints and the {@code citations} of earlier answers.
 */
public final class MessagesInboundCodec implements InboundCodec {
    private static final RequestFields FIELDS = RequestFields.ANTHROPIC;

    /**
     * Where a tool call's arguments go when they are not a JSON object (a model's broken JSON from another
     * provider): Anthropic's {@code input} must be an object, and {@code {}} would hide that the call was garbled.
     */
    static final String RAW_ARGUMENTS_FIELD = "_raw";
    private static final ObjectReader STRICT_JSON =
            Json.MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final Set<String> REQUEST_FIELDS = Set.of("model", "messages", "max_tokens", "system", "metadata",
            "stop_sequences", "stream", "temperature", "top_p", "top_k", "tools", "tool_choice", "thinking",
            "output_config", "output_format");

    @Override
    public InboundApi api() {
        return InboundApi.ANTHROPIC_MESSAGES;
    }

    @Override
    public WireFormat format() {
        return AnthropicFormat.INSTANCE;
    }

    @Override
    public StreamEncoder streamEncoder(UnifiedRequest request) {
        return new MessagesStreamEncoder(request.model());
    }

    // ---- request ----

    @Override
    public UnifiedRequest decodeRequest(JsonNode body) {
        ObjectNode request = FIELDS.object(body, "request body");
        for (String field : (Iterable<String>) request::fieldNames) {
            if (!REQUEST_FIELDS.contains(field)) {
                throw UnsupportedFeature.refuse("'" + field + "' is a Messages API feature this provider cannot be "
                        + "asked for; remove it to call this model");
            }
        }
        String model = FIELDS.requiredText(request, "model", "");
        Integer maxTokens = FIELDS.optionalInt(request, "max_tokens", "");
        if (maxTokens == null) {
            throw invalid("max_tokens: field required");
        }
        if (maxTokens < 1) {
            throw invalid("max_tokens: must be at least 1");
        }
        ObjectNode outputConfig = FIELDS.optionalObject(request, "output_config", "");
        boolean stream = Boolean.TRUE.equals(FIELDS.optionalBoolean(request, "stream", ""));
        return new UnifiedRequest(
                model,
                system(present(request, "system")),
                messages(FIELDS.requiredArray(request, "messages", "")),
                tools(FIELDS.optionalArray(request, "tools", "")),
                toolChoice(FIELDS.optionalObject(request, "tool_choice", "")),
                maxTokens,
                FIELDS.optionalNumber(request, "temperature", ""),
                FIELDS.optionalNumber(request, "top_p", ""),
                FIELDS.optionalInt(request, "top_k", ""),
                stopSequences(FIELDS.optionalArray(request, "stop_sequences", "")),
                null, null, null,
                responseFormat(request, outputConfig),
                reasoning(FIELDS.optionalObject(request, "thinking", ""), outputConfig),
                userId(FIELDS.optionalObject(request, "metadata", "")),
                stream,
                // An Anthropic stream always ends with its usage (message_delta), so the client expects it.
                stream);
    }

    private static List<Part.Text> system(JsonNode system) {
        if (system == null) {
            return List.of();
        }
        if (system.isTextual()) {
            return system.textValue().isEmpty() ? List.of() : List.of(new Part.Text(system.textValue()));
        }
        if (!(system instanceof ArrayNode blocks)) {
            throw invalid("system: must be a string or an array of text blocks");
        }
        List<Part.Text> texts = new ArrayList<>(blocks.size());
        for (int i = 0; i < blocks.size(); i++) {
            String at = FIELDS.path("system", i);
            ObjectNode block = FIELDS.object(blocks.get(i), at);
            String type = FIELDS.requiredText(block, "type", at);
            if (!type.equals("text")) {
                throw invalid(FIELDS.path(at, "type") + ": system blocks must be text, not '" + type + "'");
            }
            // cache_control is dropped: it only tells Anthropic where to cache the prompt prefix. Without it the
            // call costs what an uncached one does and the answer is the same.
            texts.add(new Part.Text(FIELDS.requiredText(block, "text", at)));
        }
        return texts;
    }

    private static List<Message> messages(ArrayNode messages) {
        List<Message> decoded = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            String at = FIELDS.path("messages", i);
            ObjectNode message = FIELDS.object(messages.get(i), at);
            String role = FIELDS.requiredText(message, "role", at);
            Role unifiedRole = switch (role) {
                case "user" -> Role.USER;
                case "assistant" -> Role.ASSISTANT;
                default -> throw invalid(FIELDS.path(at, "role") + ": must be 'user' or 'assistant', not '" + role + "'");
            };
            decoded.add(new Message(unifiedRole, content(present(message, "content"), FIELDS.path(at, "content"))));
        }
        return decoded;
    }

    private static List<Part> content(JsonNode content, String at) {
        if (content == null) {
            throw invalid(at + ": field required");
        }
        if (content.isTextual()) {
            return List.of(new Part.Text(content.textValue()));
        }
        if (!(content instanceof ArrayNode blocks)) {
            throw invalid(at + ": must be a string or an array of content blocks");
        }
        List<Part> parts = new ArrayList<>(blocks.size());
        for (int i = 0; i < blocks.size(); i++) {
            parts.add(block(FIELDS.object(blocks.get(i), FIELDS.path(at, i)), FIELDS.path(at, i)));
        }
        return parts;
    }

    private static Part block(ObjectNode block, String at) {
        String type = FIELDS.requiredText(block, "type", at);
        return switch (type) {
            // The citations of an earlier answer's text are dropped: they annotate text the model already wrote,
            // and no other provider can take them back; the text itself is kept whole.
            case "text" -> new Part.Text(FIELDS.requiredText(block, "text", at));
            case "image" -> image(block, at);
            case "tool_use" -> toolUse(block, at);
            case "tool_result" -> toolResult(block, at);
            case "thinking" -> new Part.Thinking(FIELDS.requiredText(block, "thinking", at),
                    FIELDS.optionalText(block, "signature", at));
            case "redacted_thinking" -> new Part.RedactedThinking(FIELDS.requiredText(block, "data", at));
            // Documents, search results, server tool blocks of earlier turns: the target codec decides whether it
            // can carry them.
            default -> new Part.Opaque(type, block);
        };
    }

    private static Part.Image image(ObjectNode block, String at) {
        ObjectNode source = FIELDS.requiredObject(block, "source", at);
        String sourceAt = FIELDS.path(at, "source");
        String type = FIELDS.requiredText(source, "type", sourceAt);
        return switch (type) {
            case "base64" -> new Part.Image(null, FIELDS.requiredText(source, "media_type", sourceAt),
                    FIELDS.requiredText(source, "data", sourceAt), null);
            case "url" -> new Part.Image(FIELDS.requiredText(source, "url", sourceAt), null, null, null);
            case "file" -> throw UnsupportedFeature.refuse(FIELDS.path(sourceAt, "type") + ": an image from Anthropic's "
                    + "Files API lives at Anthropic; send it as base64 or url to reach another provider");
            default -> throw invalid(FIELDS.path(sourceAt, "type") + ": must be 'base64' or 'url', not '" + type + "'");
        };
    }

    private static Part.ToolCall toolUse(ObjectNode block, String at) {
        ObjectNode input = FIELDS.optionalObject(block, "input", at);
        return new Part.ToolCall(FIELDS.requiredText(block, "id", at), FIELDS.requiredText(block, "name", at),
                input == null ? "{}" : Json.writeString(input));
    }

    private static Part.ToolResult toolResult(ObjectNode block, String at) {
        String toolUseId = FIELDS.requiredText(block, "tool_use_id", at);
        boolean isError = Boolean.TRUE.equals(FIELDS.optionalBoolean(block, "is_error", at));
        JsonNode content = present(block, "content");
        List<Part> parts = new ArrayList<>();
        String contentAt = FIELDS.path(at, "content");
        // Without content the tool ran and returned nothing: the result has no parts.
        if (content == null) {
            return new Part.ToolResult(toolUseId, parts, isError);
        }
        if (content.isTextual()) {
            parts.add(new Part.Text(content.textValue()));
        } else if (content instanceof ArrayNode blocks) {
            for (int i = 0; i < blocks.size(); i++) {
                String partAt = FIELDS.path(contentAt, i);
                ObjectNode part = FIELDS.object(blocks.get(i), partAt);
                String type = FIELDS.requiredText(part, "type", partAt);
                switch (type) {
                    case "text" -> parts.add(new Part.Text(FIELDS.requiredText(part, "text", partAt)));
                    case "image" -> parts.add(image(part, partAt));
                    default -> throw UnsupportedFeature.refuse(FIELDS.path(partAt, "type") + ": a tool result holding '"
                            + type + "' cannot be sent to this provider, only text and images");
                }
            }
        } else {
            throw invalid(contentAt + ": must be a string or an array of content blocks");
        }
        return new Part.ToolResult(toolUseId, parts, isError);
    }

    private static List<ToolSpec> tools(ArrayNode tools) {
        if (tools == null) {
            return List.of();
        }
        List<ToolSpec> specs = new ArrayList<>(tools.size());
        for (int i = 0; i < tools.size(); i++) {
            String at = FIELDS.path("tools", i);
            ObjectNode tool = FIELDS.object(tools.get(i), at);
            String type = FIELDS.optionalText(tool, "type", at);
            String name = FIELDS.requiredText(tool, "name", at);
            if (type != null && !type.equals("custom")) {
                throw UnsupportedFeature.refuse(at + ": '" + name + "' (" + type + ") is one of Anthropic's own "
                        + "tools; it runs only at Anthropic and cannot be given to this provider");
            }
            // cache_control is dropped as on system blocks: a caching hint, not part of the tool.
            specs.add(new ToolSpec(name, FIELDS.optionalText(tool, "description", at),
                    FIELDS.requiredObject(tool, "input_schema", at), FIELDS.optionalBoolean(tool, "strict", at)));
        }
        return specs;
    }

    private static ToolChoice toolChoice(ObjectNode choice) {
        if (choice == null) {
            return null;
        }
        String at = "tool_choice";
        String type = FIELDS.requiredText(choice, "type", at);
        Boolean disableParallel = FIELDS.optionalBoolean(choice, "disable_parallel_tool_use", at);
        Boolean parallel = disableParallel == null ? null : !disableParallel;
        return switch (type) {
            case "auto" -> new ToolChoice(ToolChoice.Mode.AUTO, null, parallel);
            case "any" -> new ToolChoice(ToolChoice.Mode.REQUIRED, null, parallel);
            case "none" -> new ToolChoice(ToolChoice.Mode.NONE, null, null);
            case "tool" -> new ToolChoice(ToolChoice.Mode.NAMED, FIELDS.requiredText(choice, "name", at), parallel);
            default -> throw invalid("tool_choice.type: must be auto, any, tool or none, not '" + type + "'");
        };
    }

    private static List<String> stopSequences(ArrayNode sequences) {
        if (sequences == null) {
            return List.of();
        }
        List<String> stop = new ArrayList<>(sequences.size());
        for (int i = 0; i < sequences.size(); i++) {
            if (!sequences.get(i).isTextual()) {
                throw invalid(FIELDS.path("stop_sequences", i) + ": must be a string");
            }
            stop.add(sequences.get(i).textValue());
        }
        return stop;
    }

    /**
     * {@code thinking} and {@code output_config.effort}. Adaptive thinking lets the model choose its budget; its depth
     * is the effort, high when not given (Anthropic's default).
     */
    private static Reasoning reasoning(ObjectNode thinking, ObjectNode outputConfig) {
        String effort = outputConfig == null ? null : FIELDS.optionalText(outputConfig, "effort", "output_config");
        if (thinking == null) {
            return effort == null ? null : new Reasoning(effort, null);
        }
        String type = FIELDS.requiredText(thinking, "type", "thinking");
        return switch (type) {
            case "enabled" -> {
                Integer budget = FIELDS.optionalInt(thinking, "budget_tokens", "thinking");
                if (budget == null) {
                    throw invalid("thinking.budget_tokens: field required");
                }
                yield new Reasoning(effort, budget);
            }
            case "adaptive" -> new Reasoning(effort == null ? "high" : effort, null);
            case "disabled" -> effort == null ? null : new Reasoning(effort, null);
            default -> throw invalid("thinking.type: must be enabled, adaptive or disabled, not '" + type + "'");
        };
    }

    /** {@code output_config.format}, or the beta's {@code output_format} that older clients still send. */
    private static ResponseFormat responseFormat(ObjectNode request, ObjectNode outputConfig) {
        ObjectNode format = null;
        String at = "output_format";
        if (outputConfig != null) {
            for (String field : (Iterable<String>) outputConfig::fieldNames) {
                if (!field.equals("format") && !field.equals("effort")) {
                    throw UnsupportedFeature.refuse("output_config." + field + " cannot be sent to this provider");
                }
            }
            format = FIELDS.optionalObject(outputConfig, "format", "output_config");
            at = "output_config.format";
        }
        if (format == null) {
            format = FIELDS.optionalObject(request, "output_format", "");
            at = "output_format";
        }
        if (format == null) {
            return null;
        }
        String type = FIELDS.requiredText(format, "type", at);
        if (!type.equals("json_schema")) {
            throw invalid(FIELDS.path(at, "type") + ": must be 'json_schema', not '" + type + "'");
        }
        // Anthropic's structured outputs are always enforced by constrained decoding: strict.
        return new ResponseFormat(ResponseFormat.Kind.JSON_SCHEMA, null, FIELDS.requiredObject(format, "schema", at), true);
    }

    private static String userId(ObjectNode metadata) {
        return metadata == null ? null : FIELDS.optionalText(metadata, "user_id", "metadata");
    }

    // ---- response ----

    @Override
    public JsonNode encodeResponse(UnifiedResponse response) {
        ObjectNode message = Json.MAPPER.createObjectNode();
        message.put("id", response.id());
        message.put("type", "message");
        message.put("role", "assistant");
        message.put("model", response.model());
        ArrayNode content = message.putArray("content");
        for (Part part : response.content()) {
            content.add(responseBlock(part));
        }
        message.put("stop_reason", MessagesVocabulary.stopReason(response.stopReason()));
        message.put("stop_sequence", response.stopSequence());
        MessagesVocabulary.Usage usage = MessagesVocabulary.Usage.of(response.usage());
        message.putObject("usage")
                .put("input_tokens", usage.inputTokens())
                .put("cache_creation_input_tokens", usage.cacheCreationInputTokens())
                .put("cache_read_input_tokens", usage.cacheReadInputTokens())
                .put("output_tokens", usage.outputTokens());
        return message;
    }

    private static ObjectNode responseBlock(Part part) {
        ObjectNode block = Json.MAPPER.createObjectNode();
        switch (part) {
            case Part.Text text -> block.put("type", "text").put("text", text.text());
            // Thinking from a provider that signs none gets an empty signature: the field is always there in
            // Anthropic's answers, and clients read it as a string.
            case Part.Thinking thinking -> block.put("type", "thinking").put("thinking", thinking.text())
                    .put("signature", thinking.signature() == null ? "" : thinking.signature());
            case Part.RedactedThinking redacted -> block.put("type", "redacted_thinking").put("data", redacted.data());
            case Part.ToolCall call -> block.put("type", "tool_use").put("id", call.id()).put("name", call.name())
                    .set("input", toolInput(call.arguments()));
            case Part.Image image -> throw UnsupportedFeature.refuse("the answer holds an image, which a Messages "
                    + "API answer cannot carry");
            case Part.ToolResult result -> throw UnsupportedFeature.refuse("the answer holds a tool result, which "
                    + "a Messages API answer cannot carry");
            case Part.Opaque opaque -> throw UnsupportedFeature.refuse("the answer holds '" + opaque.type()
                    + "' content, which a Messages API answer cannot carry");
        }
        return block;
    }

    /**
     * A tool call's arguments as Anthropic's {@code input} object: empty arguments are {@code {}}; text that is not
     * a JSON object is kept whole under {@value #RAW_ARGUMENTS_FIELD}, so the client sees what the model produced.
     */
    static ObjectNode toolInput(String arguments) {
        if (arguments == null || arguments.isBlank()) {
            return Json.MAPPER.createObjectNode();
        }
        try {
            if (STRICT_JSON.readTree(arguments) instanceof ObjectNode input) {
                return input;
            }
        } catch (JsonProcessingException e) {
            // Falls through: kept raw below.
        }
        return Json.MAPPER.createObjectNode().put(RAW_ARGUMENTS_FIELD, arguments);
    }
}
