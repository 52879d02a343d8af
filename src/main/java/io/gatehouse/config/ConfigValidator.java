package io.gatehouse.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.ValidationMessage;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Checks a merged configuration tree: first against the schema, then the rules that span several keys. */
final class ConfigValidator {
    private ConfigValidator() {
    }

    static List<ConfigException.Problem> validate(JsonNode tree) {
        ConfigSchema schema = ConfigSchema.get();
        SchemaMessages messages = new SchemaMessages(schema);
        Set<ConfigException.Problem> problems = new LinkedHashSet<>();
        for (ValidationMessage message : schema.validate(tree)) {
            problems.add(messages.translate(message));
        }
        // The cross-key rules assume well-formed keys; reporting them on a broken tree would only add noise.
        return problems.isEmpty() ? crossKeyProblems(tree) : List.copyOf(problems);
    }

    private static List<ConfigException.Problem> crossKeyProblems(JsonNode tree) {
        List<ConfigException.Problem> problems = new ArrayList<>();
        JsonNode llm = tree.path("llm");
        JsonNode providers = tree.path("providers");
        if (llm.isMissingNode() && providers.isEmpty()) {
            problems.add(new ConfigException.Problem("llm",
                    "an upstream is required: set llm (type and base_url) or list at least one entry in providers"));
            return problems;
        }
        Set<String> names = new LinkedHashSet<>();
        if (!llm.isMissingNode()) {
            names.add(llm.path("name").asText(ConfigView.LLM_PROVIDER_NAME));
        }
        for (int i = 0; i < providers.size(); i++) {
            String name = providers.get(i).path("name").asText();
            if (!names.add(name)) {
                problems.add(new ConfigException.Problem(ConfigPath.ROOT.child("providers").index(i).child("name").toString(),
                        "duplicate provider name \"" + name + "\""));
            }
        }
        problems.addAll(fallbackProblems(llm, providers));
        JsonNode defaultProvider = tree.path("default_provider");
        if (defaultProvider.isTextual() && !names.contains(defaultProvider.textValue())) {
            problems.add(new ConfigException.Problem("default_provider", "\"" + defaultProvider.textValue()
                    + "\" is not a configured provider (configured: " + String.join(", ", names) + ")"));
        }
        return problems;
    }

    /**
     * Each fallback must name another configured provider of the same type: a call is forwarded as the client sent
     * it, so the fallback has to speak the client's wire format.
     */
    private static List<ConfigException.Problem> fallbackProblems(JsonNode llm, JsonNode providers) {
        Map<String, String> types = new LinkedHashMap<>();
        Map<ConfigPath, JsonNode> blocks = new LinkedHashMap<>();
        if (!llm.isMissingNode()) {
            types.put(llm.path("name").asText(ConfigView.LLM_PROVIDER_NAME), llm.path("type").asText());
            blocks.put(ConfigPath.ROOT.child("llm"), llm);
        }
        for (int i = 0; i < providers.size(); i++) {
            types.putIfAbsent(providers.get(i).path("name").asText(), providers.get(i).path("type").asText());
            blocks.put(ConfigPath.ROOT.child("providers").index(i), providers.get(i));
        }
        List<ConfigException.Problem> problems = new ArrayList<>();
        blocks.forEach((path, provider) -> {
            String name = provider.path("name").asText(ConfigView.LLM_PROVIDER_NAME);
            String type = provider.path("type").asText();
            JsonNode fallbacks = provider.path("fallbacks");
            for (int j = 0; j < fallbacks.size(); j++) {
                String target = fallbacks.get(j).path("provider").asText();
                String where = path.child("fallbacks").index(j).child("provider").toString();
                String targetType = types.get(target);
                if (target.equals(name)) {
                    problems.add(new ConfigException.Problem(where, "a provider cannot fall back to itself"));
                } else if (targetType == null) {
                    problems.add(new ConfigException.Problem(where, "\"" + target
                            + "\" is not a configured provider (configured: " + String.join(", ", types.keySet()) + ")"));
                } else if (!targetType.equals(type)) {
                    problems.add(new ConfigException.Problem(where, "\"" + target + "\" speaks " + targetType + " but \""
                            + name + "\" speaks " + type + "; a fallback must have the same type (calls are not translated)"));
                }
            }
        });
        return problems;
    }
}
