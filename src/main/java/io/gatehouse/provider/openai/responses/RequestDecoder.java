package io.gatehouse.provider.openai.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.provider.translate.Message;
import io.gatehouse.provider.translate.Part;
import io.gatehouse.provider.translate.Reasoning;
import io.gatehouse.provider.translate.ResponseFormat;
import io.gatehouse.provider.translate.ToolChoice;
import io.gatehouse.provider.translate.ToolSpec;
import io.gatehouse.provider.translate.UnifiedRequest;
import io.gatehouse.provider.translate.UnsupportedFeature;
import io.gatehouse.provider.translate.RequestFields;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

import static io.gatehouse.provider.translate.RequestFields.invalid;
import static io.gatehouse.provider.translate.RequestFields.present;

/** Reads a {@code POST /v1/responses} body into the unified request, refusing what another provider cannot do. */
final class RequestDecoder {
    private static final RequestFields FIELDS = RequestFields.OPENAI;

    /**
     * Every parameter this bridge knows. OpenAI answers an unknown one with a 400, and so does the bridge: one it
     * does not know it could only drop.
     */
    private static final Set<String> KNOWN_PARAMETERS = Set.of(
            "model", "input", "instructions", "tools", "tool_choice", "parallel_tool_calls", "max_output_tokens",
            "temperature", "top_p", "text", "reasoning", "user", "stream", "stream_options", "include",
            "previous_response_id", "conversation", "background", "prompt", "truncation", "top_logprobs", "n",
            "max_tool_calls", "store", "metadata", "service_tier", "prompt_cache_key", "prompt_cache_retention",
            "safety_identifier");
    private static final String ENCRYPTED_REASONING = "reasoning.encrypted_content";

    private RequestDecoder() {
    }

    static UnifiedRequest decode(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw invalid("the request body must be a JSON object");
        }
        refuseUnknownParameters(body);
        refuseWhatNeedsOpenAi(body);
        // store, metadata, service_tier, prompt_cache_key, prompt_cache_retention and safety_identifier only concern
        // OpenAI's platform (its storage, billing tiers, cache routing, abuse monitoring): no provider's answer
        // depends on them, so they are read past. max_tool_calls limits OpenAI's built-in tools, which are refused.
        String model = FIELDS.requiredText(body, "model", "");
        List<Part.Text> system = new ArrayList<>();
        String instructions = FIELDS.optionalText(body, "instructions", "");
        if (instructions != null) {
            system.add(new Part.Text(instructions));
        }
        List<Message> messages = new InputItems(system).read(present(body, "input"));
        List<ToolSpec> tools = tools(body);
        ToolChoice toolChoice = toolChoice(body, tools);
        Reasoning reasoning = reasoning(body);
        ResponseFormat responseFormat = textFormat(body);
        FIELDS.optionalObject(body, "stream_options", "");
        boolean stream = Boolean.TRUE.equals(FIELDS.optionalBoolean(body, "stream", ""));
        return new UnifiedRequest(
                model,
                system,
                messages,
                tools,
                toolChoice,
                FIELDS.optionalInt(body, "max_output_tokens", ""),
                FIELDS.optionalNumber(body, "temperature", ""),
                FIELDS.optionalNumber(body, "top_p", ""),
                null,
                List.of(),
                null,
                null,
                null,
                responseFormat,
                reasoning,
                FIELDS.optionalText(body, "user", ""),
                stream,
                // A streamed Responses answer always ends with its usage, so the provider must be asked for it.
                stream);
    }

    private static void refuseUnknownParameters(JsonNode body) {
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!KNOWN_PARAMETERS.contains(name)) {
                throw UnsupportedFeature.refuse("the parameter '" + name + "' cannot be bridged to another provider");
            }
        }
    }

    /** Parameters that only work against OpenAI's own state or machinery. */
    private static void refuseWhatNeedsOpenAi(JsonNode body) {
        if (present(body, "previous_response_id") != null) {
            throw UnsupportedFeature.refuse("previous_response_id needs the earlier response stored by OpenAI,"
                    + " which a bridged provider does not have: send the whole conversation in input instead");
        }
        if (present(body, "conversation") != null) {
            throw UnsupportedFeature.refuse("conversation needs a conversation stored by OpenAI, which a bridged"
                    + " provider does not have: send the whole conversation in input instead");
        }
        if (Boolean.TRUE.equals(FIELDS.optionalBoolean(body, "background", ""))) {
            throw UnsupportedFeature.refuse("background=true needs OpenAI to run and store the response; a bridged"
                    + " provider answers in the foreground only");
        }
        if (present(body, "prompt") != null) {
            throw UnsupportedFeature.refuse("prompt refers to a prompt template stored by OpenAI, which a bridged"
                    + " provider cannot read: send instructions and input instead");
        }
        String truncation = FIELDS.optionalText(body, "truncation", "");
        if ("auto".equals(truncation)) {
            throw UnsupportedFeature.refuse("truncation=auto relies on OpenAI dropping earlier turns; a bridged"
                    + " provider cannot: leave truncation disabled");
        }
        if (truncation != null && !truncation.equals("disabled")) {
            throw invalid("truncation must be auto or disabled");
        }
        Integer topLogprobs = FIELDS.optionalInt(body, "top_logprobs", "");
        if (topLogprobs != null && topLogprobs != 0) {
            throw UnsupportedFeature.refuse("top_logprobs cannot be bridged: the Responses bridge returns no"
                    + " log probabilities");
        }
        Integer n = FIELDS.optionalInt(body, "n", "");
        if (n != null && n != 1) {
            throw UnsupportedFeature.refuse("n=" + n + " cannot be bridged: a Responses call has one answer");
        }
        ArrayNode include = FIELDS.optionalArray(body, "include", "");
        if (include != null) {
            for (int i = 0; i < include.size(); i++) {
                JsonNode value = include.get(i);
                if (!value.isTextual()) {
                    throw invalid(FIELDS.path("include", i) + " must be a string");
                }
                // Reasoning signatures always come back as encrypted_content (that is how thinking round-trips).
                if (!value.textValue().equals(ENCRYPTED_REASONING)) {
                    throw UnsupportedFeature.refuse("include value '" + value.textValue() + "' cannot be bridged to"
                            + " another provider: only " + ENCRYPTED_REASONING + " can");
                }
            }
        }
    }

    private static List<ToolSpec> tools(JsonNode body) {
        ArrayNode tools = FIELDS.optionalArray(body, "tools", "");
        if (tools == null) {
            return List.of();
        }
        List<ToolSpec> specs = new ArrayList<>(tools.size());
        for (int i = 0; i < tools.size(); i++) {
            String toolPath = FIELDS.path("tools", i);
            JsonNode tool = FIELDS.object(tools.get(i), toolPath);
            String type = FIELDS.requiredText(tool, "type", toolPath);
            if (!type.equals("function")) {
                throw UnsupportedFeature.refuse(toolPath + " is OpenAI's '" + type + "' tool, which only OpenAI can"
                        + " run: a bridged provider takes function tools only");
            }
            // strict is passed on only when the client set it: the other providers have no strict mode by default.
            specs.add(new ToolSpec(
                    FIELDS.requiredText(tool, "name", toolPath),
                    FIELDS.optionalText(tool, "description", toolPath),
                    FIELDS.optionalObject(tool, "parameters", toolPath),
                    FIELDS.optionalBoolean(tool, "strict", toolPath)));
        }
        return specs;
    }

    private static ToolChoice toolChoice(JsonNode body, List<ToolSpec> tools) {
        Boolean parallel = FIELDS.optionalBoolean(body, "parallel_tool_calls", "");
        JsonNode choice = present(body, "tool_choice");
        if (choice == null) {
            // parallel_tool_calls alone still matters when there are tools; without them it has nothing to govern.
            return parallel == null || tools.isEmpty() ? null : new ToolChoice(ToolChoice.Mode.AUTO, null, parallel);
        }
        if (choice.isTextual()) {
            ToolChoice.Mode mode = switch (choice.textValue()) {
                case "auto" -> ToolChoice.Mode.AUTO;
                case "none" -> ToolChoice.Mode.NONE;
                case "required" -> ToolChoice.Mode.REQUIRED;
                default -> throw invalid("tool_choice must be auto, none, required or an object");
            };
            return new ToolChoice(mode, null, parallel);
        }
        JsonNode named = FIELDS.object(choice, "tool_choice");
        String type = FIELDS.requiredText(named, "type", "tool_choice");
        if (!type.equals("function")) {
            throw UnsupportedFeature.refuse("tool_choice of type '" + type + "' cannot be bridged to another"
                    + " provider: only auto, none, required and a named function can");
        }
        return new ToolChoice(ToolChoice.Mode.NAMED, FIELDS.requiredText(named, "name", "tool_choice"), parallel);
    }

    private static Reasoning reasoning(JsonNode body) {
        JsonNode reasoning = FIELDS.optionalObject(body, "reasoning", "");
        if (reasoning == null) {
            return null;
        }
        // summary (and its older name generate_summary) asks OpenAI how to show its reasoning; the bridged provider
        // shows its thinking its own way, which comes back as the summary.
        FIELDS.optionalText(reasoning, "summary", "reasoning");
        FIELDS.optionalText(reasoning, "generate_summary", "reasoning");
        String effort = FIELDS.optionalText(reasoning, "effort", "reasoning");
        return effort == null ? null : new Reasoning(effort, null);
    }

    private static ResponseFormat textFormat(JsonNode body) {
        JsonNode text = FIELDS.optionalObject(body, "text", "");
        if (text == null) {
            return null;
        }
        String verbosity = FIELDS.optionalText(text, "verbosity", "text");
        if (verbosity != null && !verbosity.equals("medium")) {
            throw UnsupportedFeature.refuse("text.verbosity=" + verbosity + " cannot be bridged to another"
                    + " provider, which has no such setting");
        }
        JsonNode format = FIELDS.optionalObject(text, "format", "text");
        if (format == null) {
            return null;
        }
        String type = FIELDS.requiredText(format, "type", "text.format");
        return switch (type) {
            case "text" -> new ResponseFormat(ResponseFormat.Kind.TEXT, null, null, null);
            case "json_object" -> new ResponseFormat(ResponseFormat.Kind.JSON_OBJECT, null, null, null);
            case "json_schema" -> jsonSchema(format);
            default -> throw invalid("text.format.type must be text, json_object or json_schema");
        };
    }

    private static ResponseFormat jsonSchema(JsonNode format) {
        String name = FIELDS.requiredText(format, "name", "text.format");
        JsonNode schema = FIELDS.optionalObject(format, "schema", "text.format");
        if (schema == null) {
            throw invalid("text.format.schema is required");
        }
        String description = FIELDS.optionalText(format, "description", "text.format");
        if (description != null) {
            schema = withDescription(schema, description);
        }
        return new ResponseFormat(ResponseFormat.Kind.JSON_SCHEMA, name, schema,
                FIELDS.optionalBoolean(format, "strict", "text.format"));
    }

    /**
     * The format's description goes where a schema describes itself, its root {@code description}, which every
     * provider reads; the client's body is left as it was.
     */
    private static JsonNode withDescription(JsonNode schema, String description) {
        JsonNode own = present(schema, "description");
        if (own == null) {
            ObjectNode described = schema.deepCopy();
            described.put("description", description);
            return described;
        }
        if (!own.isTextual() || !own.textValue().equals(description)) {
            throw UnsupportedFeature.refuse("text.format.description cannot be bridged alongside a different"
                    + " text.format.schema.description: the provider takes only the schema's");
        }
        return schema;
    }
}
