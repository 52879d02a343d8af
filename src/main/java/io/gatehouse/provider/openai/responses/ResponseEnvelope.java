package io.gatehouse.provider.openai.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.pipeline.Json;
import io.gatehouse.provider.translate.Part;
import io.gatehouse.provider.translate.ResponseFormat;
import io.gatehouse.provider.translate.TokenUsage;
import io.gatehouse.provider.translate.ToolChoice;
import io.gatehouse.provider.translate.ToolSpec;
import io.gatehouse.provider.translate.UnifiedRequest;

import java.util.stream.Collectors;

/**
 * A Responses API {@code Response} object around its output: besides the answer, OpenAI echoes the request's
 * settings, and the SDKs require some of them ({@code tools}, {@code tool_choice}, {@code parallel_tool_calls}
 * are mandatory in openai-java). The echoes are worked out once from the request; without a request they are
 * OpenAI's defaults. Settings this bridge never carries (stored prompts, background mode…) echo as OpenAI reports
 * them when unused.
 */
final class ResponseEnvelope {
    private final String requestedModel;
    private final JsonNode instructions;
    private final JsonNode maxOutputTokens;
    private final boolean parallelToolCalls;
    private final ObjectNode reasoning;
    private final JsonNode temperature;
    private final ObjectNode text;
    private final JsonNode toolChoice;
    private final ArrayNode tools;
    private final JsonNode topP;
    private final JsonNode user;

    ResponseEnvelope(UnifiedRequest request) {
        JsonNodeFactory nodes = Json.MAPPER.getNodeFactory();
        requestedModel = request == null ? null : request.model();
        instructions = request == null || request.system().isEmpty() ? nodes.nullNode()
                // The unified request keeps instructions and system/developer messages as one system prompt, which
                // is what the provider was given; OpenAI's echo is the instructions alone.
                : nodes.textNode(request.system().stream().map(Part.Text::text).collect(Collectors.joining("\n\n")));
        maxOutputTokens = request == null || request.maxTokens() == null ? nodes.nullNode()
                : nodes.numberNode(request.maxTokens());
        ToolChoice choice = request == null ? null : request.toolChoice();
        parallelToolCalls = choice == null || choice.parallel() == null || choice.parallel();
        reasoning = Json.MAPPER.createObjectNode();
        if (request == null || request.reasoning() == null || request.reasoning().effort() == null) {
            reasoning.putNull("effort");
        } else {
            reasoning.put("effort", request.reasoning().effort());
        }
        // The summary setting is not carried to the provider (it decides how its thinking reads), so it is not echoed.
        reasoning.putNull("summary");
        temperature = request == null || request.temperature() == null ? nodes.nullNode()
                : nodes.numberNode(request.temperature());
        topP = request == null || request.topP() == null ? nodes.nullNode() : nodes.numberNode(request.topP());
        text = textEcho(request == null ? null : request.responseFormat());
        toolChoice = toolChoiceEcho(choice);
        tools = Json.MAPPER.createArrayNode();
        if (request != null) {
            request.tools().forEach(tool -> tools.add(toolEcho(tool)));
        }
        user = request == null || request.user() == null ? nodes.nullNode() : nodes.textNode(request.user());
    }

    /** The model named in the request, for a stream whose upstream did not say. */
    String requestedModel() {
        return requestedModel;
    }

    /**
     * The whole response object.
     *
     * @param status           in_progress, completed, incomplete or failed
     * @param incompleteReason {@code incomplete_details.reason}, or null
     * @param error            {@code {code, message}} of a failed response, or null
     * @param usage            null while in progress or when the provider reported none
     */
    ObjectNode render(String id, long createdAt, String model, String status, String incompleteReason,
                      ObjectNode error, ArrayNode output, TokenUsage usage) {
        ObjectNode response = Json.MAPPER.createObjectNode();
        response.put("id", id);
        response.put("object", "response");
        response.put("created_at", createdAt);
        response.put("status", status);
        response.put("background", false);
        response.set("error", error == null ? response.nullNode() : error);
        if (incompleteReason == null) {
            response.putNull("incomplete_details");
        } else {
            response.putObject("incomplete_details").put("reason", incompleteReason);
        }
        response.set("instructions", instructions);
        response.set("max_output_tokens", maxOutputTokens);
        response.putNull("max_tool_calls");
        response.put("model", model);
        response.set("output", output);
        response.put("parallel_tool_calls", parallelToolCalls);
        response.putNull("previous_response_id");
        response.putNull("prompt_cache_key");
        response.set("reasoning", reasoning);
        response.putNull("safety_identifier");
        response.putNull("service_tier");
        // Nothing is stored: the response cannot be fetched or continued by id later.
        response.put("store", false);
        response.set("temperature", temperature);
        response.set("text", text);
        response.set("tool_choice", toolChoice);
        response.set("tools", tools);
        response.put("top_logprobs", 0);
        response.set("top_p", topP);
        response.put("truncation", "disabled");
        response.set("usage", usage == null ? response.nullNode() : OutputItems.usage(usage));
        response.set("user", user);
        response.putObject("metadata");
        return response;
    }

    private static ObjectNode textEcho(ResponseFormat format) {
        ObjectNode text = Json.MAPPER.createObjectNode();
        ObjectNode echo = text.putObject("format");
        if (format == null || format.kind() == ResponseFormat.Kind.TEXT) {
            echo.put("type", "text");
        } else if (format.kind() == ResponseFormat.Kind.JSON_OBJECT) {
            echo.put("type", "json_object");
        } else {
            echo.put("type", "json_schema");
            echo.put("name", format.name());
            echo.set("schema", format.schema().deepCopy());
            if (format.strict() != null) {
                echo.put("strict", format.strict());
            }
        }
        text.put("verbosity", "medium");
        return text;
    }

    private static JsonNode toolChoiceEcho(ToolChoice choice) {
        JsonNodeFactory nodes = Json.MAPPER.getNodeFactory();
        if (choice == null) {
            return nodes.textNode("auto");
        }
        return switch (choice.mode()) {
            case AUTO -> nodes.textNode("auto");
            case NONE -> nodes.textNode("none");
            case REQUIRED -> nodes.textNode("required");
            case NAMED -> Json.MAPPER.createObjectNode().put("type", "function").put("name", choice.name());
        };
    }

    /** A function tool as openai-java's FunctionTool reads it: parameters and strict present, even when null. */
    private static ObjectNode toolEcho(ToolSpec tool) {
        ObjectNode json = Json.MAPPER.createObjectNode();
        json.put("type", "function");
        json.put("name", tool.name());
        if (tool.description() != null) {
            json.put("description", tool.description());
        }
        json.set("parameters", tool.parameters() == null ? json.nullNode() : tool.parameters().deepCopy());
        if (tool.strict() == null) {
            json.putNull("strict");
        } else {
            json.put("strict", tool.strict());
        }
        return json;
    }
}
