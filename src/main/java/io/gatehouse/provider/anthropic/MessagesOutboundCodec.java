package io.gatehouse.provider.anthropic;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.pipeline.ErrorKind;
import io.gatehouse.pipeline.GatewayError;
import io.gatehouse.pipeline.GatewayException;
import io.gatehouse.pipeline.Json;
import io.gatehouse.provider.gemini.GeminiOutboundCodec;
import io.gatehouse.provider.translate.EncodedRequest;
import io.gatehouse.provider.translate.Message;
import io.gatehouse.provider.translate.OutboundCodec;
import io.gatehouse.provider.translate.Part;
import io.gatehouse.provider.translate.Reasoning;
import io.gatehouse.provider.translate.ResponseFormat;
import io.gatehouse.provider.translate.Role;
import io.gatehouse.provider.translate.StreamDecoder;
import io.gatehouse.provider.translate.ToolChoice;
import io.gatehouse.provider.translate.ToolSpec;
import io.gatehouse.provider.translate.UnifiedRequest;
import io.gatehouse.provider.translate.UnifiedResponse;
import io.gatehouse.provider.translate.UnsupportedFeature;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Calls Anthropic's {@code POST /v1/messages} for a request of another API, and reads its answers back.
 *
 * <p>The unified conversation is reshaped as Anthropic requires: the system prompt as text blocks, strictly
 * alternating turns (consecutive messages of one role merged), tool results first in their user turn, tool call
 * arguments as JSON objects. What Anthropic has no parameter for ({@code seed}, presence and frequency penalties,
 * JSON mode without a schema, content it cannot take) is refused with a 400 naming it.
 */
public final class MessagesOutboundCodec implements OutboundCodec {
    /**
     * The {@code max_tokens} to construct this codec with when the provider's configuration sets none: 4096, which
     * every Claude model accepts and which leaves room for a long answer.
     */
    public static final int DEFAULT_MAX_TOKENS = 4096;
    static final String API_VERSION = "2023-06-01";
    /** Anthropic refuses thinking budgets below this. */
    static final int MINIMUM_THINKING_BUDGET = 1024;
    private static final ObjectReader STRICT_JSON =
            Json.MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final int defaultMaxTokens;

    /**
     * @param defaultMaxTokens the {@code max_tokens} sent when the client set no limit (Anthropic requires one);
     *                         {@link #DEFAULT_MAX_TOKENS} unless the provider's configuration says otherwise
     */
    public MessagesOutboundCodec(int defaultMaxTokens) {
        if (defaultMaxTokens < 1) {
            throw new IllegalArgumentException("defaultMaxTokens must be at least 1, not " + defaultMaxTokens);
        }
        this.defaultMaxTokens = defaultMaxTokens;
    }

    @Override
    public String type() {
        return "anthropic";
    }

    @Override
    public StreamDecoder streamDecoder() {
        return new MessagesStreamDecoder();
    }

    // ---- request ----

    @Override
    public EncodedRequest encodeRequest(UnifiedRequest request) {
        refuseWhatAnthropicLacks(request);
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("model", request.model());
        int maxTokens = request.maxTokens() == null ? defaultMaxTokens : request.maxTokens();
        Integer thinkingBudget = thinkingBudget(request.reasoning());
        if (thinkingBudget != null && maxTokens <= thinkingBudget) {
            // Anthropic counts thinking inside max_tokens and requires budget_tokens < max_tokens. Raised by the
            // budget, the limit leaves the answer the room the client asked for on top of the thinking.
            maxTokens = thinkingBudget + maxTokens;
        }
        body.put("max_tokens", maxTokens);
        if (!request.system().isEmpty()) {
            ArrayNode system = body.putArray("system");
            for (Part.Text text : request.system()) {
                system.addObject().put("type", "text").put("text", text.text());
            }
        }
        body.set("messages", messages(request.messages()));
        if (!request.tools().isEmpty()) {
            ArrayNode tools = body.putArray("tools");
            for (ToolSpec tool : request.tools()) {
                tools.add(tool(tool));
            }
        }
        ObjectNode toolChoice = toolChoice(request.toolChoice(), !request.tools().isEmpty());
        if (toolChoice != null) {
            body.set("tool_choice", toolChoice);
        }
        if (!request.stop().isEmpty()) {
            ArrayNode stop = body.putArray("stop_sequences");
            request.stop().forEach(stop::add);
        }
        if (request.temperature() != null) {
            body.put("temperature", request.temperature());
        }
        if (request.topP() != null) {
            body.put("top_p", request.topP());
        }
        if (request.topK() != null) {
            body.put("top_k", request.topK());
        }
        if (thinkingBudget != null) {
            body.putObject("thinking").put("type", "enabled").put("budget_tokens", thinkingBudget);
        }
        ResponseFormat format = request.responseFormat();
        if (format != null && format.kind() == ResponseFormat.Kind.JSON_SCHEMA) {
            body.putObject("output_config").putObject("format")
                    .put("type", "json_schema")
                    .set("schema", StructuredOutputSchema.forClaude((ObjectNode) format.schema()));
        }
        if (request.user() != null) {
            body.putObject("metadata").put("user_id", request.user());
        }
        if (request.stream()) {
            body.put("stream", true);
        }
        // Structured outputs (output_config) are generally available: no anthropic-beta header is needed.
        return new EncodedRequest("/v1/messages", null, Map.of("anthropic-version", API_VERSION), body);
    }

    private static void refuseWhatAnthropicLacks(UnifiedRequest request) {
        if (request.seed() != null) {
            throw UnsupportedFeature.refuse("seed: Anthropic has no seeded sampling; remove seed to call this model");
        }
        if (request.presencePenalty() != null) {
            throw UnsupportedFeature.refuse("presence_penalty: Anthropic has no presence penalty; remove it to call "
                    + "this model");
        }
        if (request.frequencyPenalty() != null) {
            throw UnsupportedFeature.refuse("frequency_penalty: Anthropic has no frequency penalty; remove it to call "
                    + "this model");
        }
        if (request.temperature() != null && request.temperature() > 1) {
            throw UnsupportedFeature.refuse("temperature: " + request.temperature() + " is above 1, the highest "
                    + "Anthropic accepts");
        }
        ResponseFormat format = request.responseFormat();
        if (format != null && format.kind() == ResponseFormat.Kind.JSON_OBJECT) {
            throw UnsupportedFeature.refuse("response_format json_object: Anthropic has no JSON mode without a "
                    + "schema; send response_format json_schema with the answer's schema instead");
        }
        if (format != null && format.kind() == ResponseFormat.Kind.JSON_SCHEMA && !(format.schema() instanceof ObjectNode)) {
            throw UnsupportedFeature.refuse("response_format json_schema: the schema must be a JSON object");
        }
    }

    /**
     * The thinking budget for {@code reasoning}, or null for none. A budget given is kept (raised to Anthropic's
     * minimum of 1024 when lower, 0 meaning no thinking); an OpenAI-style effort maps to a fixed budget:
     * minimal 1024, low 2048, medium 8192, high 16384 (small enough that budget plus answer stay within the output
     * limit of every Claude model that thinks); effort none means no thinking.
     */
    static Integer thinkingBudget(Reasoning reasoning) {
        if (reasoning == null) {
            return null;
        }
        Integer budget = reasoning.budgetTokens();
        if (budget != null) {
            if (budget == 0) {
                return null;
            }
            if (budget < 0) {
                // Gemini's -1: the model picks its own budget. Anthropic needs a number; medium is the middle ground.
                return effortBudget("medium");
            }
            return Math.max(budget, MINIMUM_THINKING_BUDGET);
        }
        return reasoning.effort() == null ? null : effortBudget(reasoning.effort());
    }

    private static Integer effortBudget(String effort) {
        return switch (effort) {
            case "none" -> null;
            case "minimal" -> MINIMUM_THINKING_BUDGET;
            case "low" -> 2048;
            case "medium" -> 8192;
            case "high" -> 16384;
            default -> throw UnsupportedFeature.refuse("reasoning effort '" + effort + "' has no Anthropic thinking "
                    + "budget; use none, minimal, low, medium or high");
        };
    }

    /** Anthropic's turns: empty messages left out, consecutive ones of a role merged, tool results first. */
    private static ArrayNode messages(List<Message> messages) {
        ArrayNode turns = Json.MAPPER.createArrayNode();
        Role lastRole = null;
        ArrayNode lastContent = null;
        for (int i = 0; i < messages.size(); i++) {
            Message message = messages.get(i);
            ArrayNode blocks = blocks(message, "messages." + i);
            if (blocks.isEmpty()) {
                continue; // Anthropic rejects a turn without content, and an empty one says nothing.
            }
            if (message.role() == lastRole) {
                lastContent.addAll(blocks);
            } else {
                ObjectNode turn = turns.addObject();
                turn.put("role", message.role() == Role.USER ? "user" : "assistant");
                lastContent = turn.putArray("content");
                lastContent.addAll(blocks);
                lastRole = message.role();
            }
        }
        for (JsonNode turn : turns) {
            toolResultsFirst((ArrayNode) turn.get("content"));
        }
        return turns;
    }

    /** Anthropic requires a user turn's tool_result blocks before anything else in it; their order is kept. */
    private static void toolResultsFirst(ArrayNode content) {
        List<JsonNode> results = new ArrayList<>();
        List<JsonNode> others = new ArrayList<>();
        for (JsonNode block : content) {
            (block.path("type").asText().equals("tool_result") ? results : others).add(block);
        }
        if (results.isEmpty() || others.isEmpty()) {
            return;
        }
        content.removeAll();
        content.addAll(results);
        content.addAll(others);
    }

    private static ArrayNode blocks(Message message, String at) {
        ArrayNode blocks = Json.MAPPER.createArrayNode();
        for (Part part : message.parts()) {
            switch (part) {
                case Part.Text text -> {
                    // Anthropic rejects empty text blocks; OpenAI clients send "" beside tool calls.
                    if (!text.text().isEmpty()) {
                        blocks.addObject().put("type", "text").put("text", text.text());
                    }
                }
                case Part.Image image -> blocks.add(image(image));
                case Part.ToolCall call -> blocks.addObject().put("type", "tool_use").put("id", call.id())
                        .put("name", call.name()).set("input", toolInput(call, at));
                case Part.ToolResult result -> blocks.add(toolResult(result, at));
                case Part.Thinking thinking -> {
                    // Anthropic takes back only thinking it signed; unsigned thinking and Gemini's (a conversation
                    // that moved here) would be refused, and Anthropic leaves earlier turns' thinking out of the
                    // context anyway.
                    if (thinking.signature() != null && !thinking.signature().isEmpty()
                            && !GeminiOutboundCodec.signedByGemini(thinking.signature())) {
                        blocks.addObject().put("type", "thinking").put("thinking", thinking.text())
                                .put("signature", thinking.signature());
                    }
                }
                case Part.RedactedThinking redacted ->
                        blocks.addObject().put("type", "redacted_thinking").put("data", redacted.data());
                case Part.Opaque opaque -> throw UnsupportedFeature.refuse(at + ": '" + opaque.type()
                        + "' content cannot be sent to Anthropic");
            }
        }
        return blocks;
    }

    /**
     * Dropped: OpenAI's {@code detail}, a resolution hint Anthropic has no counterpart for (it sizes images itself);
     * the image is sent whole either way.
     */
    private static ObjectNode image(Part.Image image) {
        ObjectNode block = Json.MAPPER.createObjectNode().put("type", "image");
        ObjectNode source = block.putObject("source");
        if (image.inline()) {
            source.put("type", "base64").put("media_type", image.mediaType()).put("data", image.base64());
        } else {
            source.put("type", "url").put("url", image.url());
        }
        return block;
    }

    private static ObjectNode toolInput(Part.ToolCall call, String at) {
        String arguments = call.arguments();
        if (arguments == null || arguments.isBlank()) {
            return Json.MAPPER.createObjectNode();
        }
        try {
            if (STRICT_JSON.readTree(arguments) instanceof ObjectNode input) {
                return input;
            }
        } catch (JsonProcessingException e) {
            // Refused below.
        }
        throw UnsupportedFeature.refuse(at + ": the arguments of tool call '" + call.id() + "' are not a JSON "
                + "object, and Anthropic takes a tool call's input only as one");
    }

    private static ObjectNode toolResult(Part.ToolResult result, String at) {
        ObjectNode block = Json.MAPPER.createObjectNode().put("type", "tool_result")
                .put("tool_use_id", result.toolCallId());
        ArrayNode content = Json.MAPPER.createArrayNode();
        for (Part part : result.content()) {
            switch (part) {
                case Part.Text text -> {
                    if (!text.text().isEmpty()) {
                        content.addObject().put("type", "text").put("text", text.text());
                    }
                }
                case Part.Image image -> content.add(image(image));
                default -> throw UnsupportedFeature.refuse(at + ": the result of tool call '" + result.toolCallId()
                        + "' holds content Anthropic takes only as text or images");
            }
        }
        if (!content.isEmpty()) {
            block.set("content", content);
        }
        if (result.isError()) {
            block.put("is_error", true);
        }
        return block;
    }

    private static ObjectNode tool(ToolSpec tool) {
        ObjectNode json = Json.MAPPER.createObjectNode().put("name", tool.name());
        if (tool.description() != null) {
            json.put("description", tool.description());
        }
        boolean strict = Boolean.TRUE.equals(tool.strict());
        JsonNode parameters = tool.parameters();
        if (parameters == null) {
            // A function without parameters: Anthropic needs an object schema all the same.
            parameters = Json.MAPPER.createObjectNode().put("type", "object").set("properties",
                    Json.MAPPER.createObjectNode());
        } else if (!(parameters instanceof ObjectNode)) {
            throw UnsupportedFeature.refuse("tools: the parameters of '" + tool.name() + "' must be a JSON schema "
                    + "object");
        }
        // Strict tools are held to the structured-outputs subset of JSON schema, like response formats.
        json.set("input_schema", strict ? StructuredOutputSchema.forClaude((ObjectNode) parameters) : parameters);
        if (strict) {
            json.put("strict", true);
        }
        return json;
    }

    private static ObjectNode toolChoice(ToolChoice choice, boolean hasTools) {
        if (choice == null) {
            return null;
        }
        ToolChoice.Mode mode = choice.mode() == null ? ToolChoice.Mode.AUTO : choice.mode();
        if (!hasTools && (mode == ToolChoice.Mode.AUTO || mode == ToolChoice.Mode.NONE)) {
            return null; // Without tools both mean what no tool_choice means.
        }
        ObjectNode json = Json.MAPPER.createObjectNode();
        switch (mode) {
            case AUTO -> json.put("type", "auto");
            case NONE -> {
                return json.put("type", "none");
            }
            case REQUIRED -> json.put("type", "any");
            case NAMED -> json.put("type", "tool").put("name", choice.name());
        }
        if (Boolean.FALSE.equals(choice.parallel())) {
            json.put("disable_parallel_tool_use", true);
        }
        return json;
    }

    // ---- response ----

    @Override
    public UnifiedResponse decodeResponse(JsonNode body) {
        if (body == null || !body.isObject() || !body.path("content").isArray()) {
            throw broken("Anthropic answered with a body that is not a message");
        }
        List<Part> content = new ArrayList<>(body.get("content").size());
        for (JsonNode block : body.get("content")) {
            Part part = responsePart(block);
            if (part != null) {
                content.add(part);
            }
        }
        String stopSequence = body.path("stop_sequence").isTextual() ? body.get("stop_sequence").textValue() : null;
        return new UnifiedResponse(text(body, "id"), text(body, "model"), content,
                MessagesVocabulary.stopReason(text(body, "stop_reason")), stopSequence,
                body.get("usage") instanceof ObjectNode usage ? MessagesVocabulary.Usage.of(usage).unified() : null);
    }

    /**
     * One content block as a unified part. Citations on text are dropped (no other API carries them; the text is
     * whole). Blocks of Anthropic's server tools (a web search it ran…) are kept as {@link Part.Opaque}: a request
     * translated from another API never asks for server tools, so they only appear if the provider adds them.
     */
    private static Part responsePart(JsonNode block) {
        String type = text(block, "type");
        if (type == null) {
            throw broken("Anthropic answered with a content block without a type");
        }
        return switch (type) {
            case "text" -> new Part.Text(block.path("text").asText(""));
            case "thinking" -> new Part.Thinking(block.path("thinking").asText(""), text(block, "signature"));
            case "redacted_thinking" -> new Part.RedactedThinking(block.path("data").asText(""));
            case "tool_use" -> new Part.ToolCall(text(block, "id"), text(block, "name"),
                    block.get("input") instanceof ObjectNode input ? Json.writeString(input) : "{}");
            default -> new Part.Opaque(type, block);
        };
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() ? value.textValue() : null;
    }

    private static GatewayException broken(String message) {
        return new GatewayException(new GatewayError(ErrorKind.UPSTREAM_BROKEN, message, "upstream_broken"));
    }

    // ---- errors ----

    /** Anthropic's {@code {"type":"error","error":{"type","message"}}}, or just the status for a body it is not. */
    @Override
    public GatewayError decodeError(int status, Buffer body) {
        JsonNode error = null;
        if (body != null && body.length() > 0) {
            try {
                JsonNode json = Json.MAPPER.readTree(body.getBytes());
                error = json == null ? null : json.get("error");
            } catch (IOException e) {
                // Not JSON (a proxy's HTML page): the status alone says what happened.
            }
        }
        return MessagesVocabulary.error(status, error instanceof ObjectNode ? error : null);
    }
}
