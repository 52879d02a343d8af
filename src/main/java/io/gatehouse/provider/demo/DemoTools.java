package io.gatehouse.provider.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.regex.Pattern;

/** Decides which tools the demo "model" calls and invents arguments that satisfy their schemas. */
final class DemoTools {

    /** A tool offered by the client: its name and the JSON schema of its arguments. */
    record Tool(String name, JsonNode schema) {
    }

    /** A call the demo makes: the tool's name and the arguments it passes. */
    record Call(String id, String name, ObjectNode arguments) {
        String argumentsJson() {
            return DemoExchange.toJson(arguments);
        }
    }

    private static final Pattern BOTH = Pattern.compile("\\bboth\\b", Pattern.CASE_INSENSITIVE);

    private DemoTools() {
    }

    /**
     * The calls to make: the forced tool when one is named, else the first tool, or the first two when parallel
     * calls are allowed and the user asked for "both".
     */
    static List<Call> plan(List<Tool> tools, String forcedName, boolean parallelAllowed, String userText,
                           String idPrefix) {
        if (forcedName != null) {
            Tool forced = tools.stream()
                    .filter(tool -> tool.name().equals(forcedName))
                    .findFirst()
                    .orElseThrow(() -> new InvalidDemoRequest(
                            "Tool choice names '" + forcedName + "', which is not among the tools.", "tool_choice"));
            return List.of(call(forced, userText, idPrefix));
        }
        boolean callTwo = parallelAllowed && tools.size() >= 2 && BOTH.matcher(userText).find();
        return tools.stream()
                .limit(callTwo ? 2 : 1)
                .map(tool -> call(tool, userText, idPrefix))
                .toList();
    }

    private static Call call(Tool tool, String userText, String idPrefix) {
        return new Call(DemoText.randomId(idPrefix, 24), tool.name(), argumentsFor(tool.schema(), userText));
    }

    /** Fills every required property: numbers with 1, booleans with true, anything else with the user's text. */
    static ObjectNode argumentsFor(JsonNode schema, String userText) {
        ObjectNode arguments = DemoUpstream.JSON.createObjectNode();
        JsonNode properties = schema.path("properties");
        for (JsonNode required : schema.path("required")) {
            String name = required.asText();
            JsonNode property = properties.path(name);
            JsonNode allowed = property.path("enum");
            if (allowed.isArray() && !allowed.isEmpty()) {
                arguments.set(name, allowed.get(0));
                continue;
            }
            switch (property.path("type").asText("string")) {
                case "number", "integer" -> arguments.put(name, 1);
                case "boolean" -> arguments.put(name, true);
                default -> arguments.put(name, userText);
            }
        }
        return arguments;
    }
}
