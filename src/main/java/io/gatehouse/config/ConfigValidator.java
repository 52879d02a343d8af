package io.gatehouse.config;

import io.gatehouse.pipeline.Json;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.ValidationMessage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
        if (!llm.isMissingNode()) {
            caFileProblem(llm, ConfigPath.ROOT.child("llm")).ifPresent(problems::add);
        }
        for (int i = 0; i < providers.size(); i++) {
            caFileProblem(providers.get(i), ConfigPath.ROOT.child("providers").index(i)).ifPresent(problems::add);
        }
        problems.addAll(fallbackProblems(llm, providers));
        problems.addAll(limitsProblems(tree));
        problems.addAll(featureProblems(tree.path("features"), names));
        problems.addAll(aliasProblems(tree.path("models"), names));
        JsonNode defaultProvider = tree.path("default_provider");
        if (defaultProvider.isTextual() && !names.contains(defaultProvider.textValue())) {
            problems.add(new ConfigException.Problem("default_provider", "\"" + defaultProvider.textValue()
                    + "\" is not a configured provider (configured: " + String.join(", ", names) + ")"));
        }
        return problems;
    }

    /**
     * A {@code ca_file} must be a readable file of PEM certificates for an https upstream, checked when the config is
     * loaded rather than at the first call that needs it.
     */
    private static Optional<ConfigException.Problem> caFileProblem(JsonNode upstream, ConfigPath path) {
        JsonNode caFile = upstream.path("ca_file");
        if (!caFile.isTextual() || caFile.textValue().isBlank()) {
            return Optional.empty();
        }
        Path file = Path.of(caFile.textValue());
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            return Optional.of(new ConfigException.Problem(path.child("ca_file").toString(),
                    "\"" + caFile.textValue() + "\" is not a readable file"));
        }
        if (!upstream.path("base_url").asText().regionMatches(true, 0, "https:", 0, 6)) {
            return Optional.of(new ConfigException.Problem(path.child("ca_file").toString(),
                    "applies to https upstreams only; base_url is not https"));
        }
        if (!holdsCertificates(file)) {
            return Optional.of(new ConfigException.Problem(path.child("ca_file").toString(),
                    "\"" + caFile.textValue() + "\" holds no PEM certificate"));
        }
        return Optional.empty();
    }

    private static boolean holdsCertificates(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return !CertificateFactory.getInstance("X.509").generateCertificates(in).isEmpty();
        } catch (IOException | CertificateException e) {
            return false;
        }
    }

    /**
     * A feature's {@code model} and {@code provider_api_keys} must name configured providers; each budget constraint
     * limits something.
     */
    private static List<ConfigException.Problem> featureProblems(JsonNode features, Set<String> providers) {
        List<ConfigException.Problem> problems = new ArrayList<>();
        Map<ConfigPath, JsonNode> blocks = new LinkedHashMap<>();
        ConfigPath root = ConfigPath.ROOT.child("features");
        blocks.put(root.child("defaults"), features.path("defaults"));
        features.path("features").properties().forEach(entry ->
                blocks.put(root.child("features").child(entry.getKey()), entry.getValue()));
        blocks.forEach((path, block) -> {
            JsonNode model = block.path("model");
            if (model.isTextual() && model.textValue().contains(":")) {
                String provider = model.textValue().substring(0, model.textValue().indexOf(':'));
                if (!providers.contains(provider)) {
                    problems.add(new ConfigException.Problem(path.child("model").toString(), "\"" + provider
                            + "\" is not a configured provider (configured: " + String.join(", ", providers) + ")"));
                }
            }
            block.path("budget_constraints").properties().forEach(budget -> {
                if (!budget.getValue().has("rate_limit") && !budget.getValue().has("budget_limit")) {
                    problems.add(new ConfigException.Problem(path.child("budget_constraints").child(budget.getKey())
                            .toString(), "needs rate_limit, budget_limit or both"));
                }
            });
            block.path("provider_api_keys").fieldNames().forEachRemaining(provider -> {
                if (!providers.contains(provider)) {
                    problems.add(new ConfigException.Problem(path.child("provider_api_keys").child(provider).toString(),
                            "\"" + provider + "\" is not a configured provider (configured: "
                                    + String.join(", ", providers) + ")"));
                }
            });
        });
        return problems;
    }

    /** Every target of a model alias names a configured provider; an alias must not look like a target itself. */
    private static List<ConfigException.Problem> aliasProblems(JsonNode models, Set<String> providers) {
        List<ConfigException.Problem> problems = new ArrayList<>();
        models.properties().forEach(alias -> {
            ConfigPath path = ConfigPath.ROOT.child("models").child(alias.getKey());
            int colon = alias.getKey().indexOf(':');
            if (colon > 0 && providers.contains(alias.getKey().substring(0, colon))) {
                problems.add(new ConfigException.Problem(path.toString(), "an alias cannot start with a provider name and "
                        + "':' (it would shadow that provider's models)"));
            }
            JsonNode targets = alias.getValue().isArray() ? alias.getValue()
                    : Json.MAPPER.createArrayNode().add(alias.getValue());
            for (int i = 0; i < targets.size(); i++) {
                String target = targets.get(i).asText();
                String provider = target.substring(0, Math.max(0, target.indexOf(':')));
                if (!providers.contains(provider)) {
                    problems.add(new ConfigException.Problem((alias.getValue().isArray() ? path.index(i) : path).toString(),
                            "\"" + provider + "\" is not a configured provider (configured: " + String.join(", ", providers) + ")"));
                }
            }
        });
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

    /**
     * Each constraint limits something; constraint names are part of counter keys, so they must be unique; two request
     * limits need two windows.
     */
    private static List<ConfigException.Problem> limitsProblems(JsonNode tree) {
        List<ConfigException.Problem> problems = new ArrayList<>();
        JsonNode limits = tree.path("limits");
        if ("redis".equals(limits.path("backend").asText()) && tree.path("redis").path("url").isMissingNode()) {
            problems.add(new ConfigException.Problem("limits.backend", "redis needs redis.url (the Redis shared by every instance)"));
        }
        JsonNode constraints = limits.path("constraints");
        Set<String> names = new LinkedHashSet<>();
        for (int i = 0; i < constraints.size(); i++) {
            ConfigPath path = ConfigPath.ROOT.child("limits").child("constraints").index(i);
            String name = constraints.get(i).path("name").asText();
            if (!names.add(name)) {
                problems.add(new ConfigException.Problem(path.child("name").toString(), "duplicate constraint name \"" + name + "\""));
            }
            JsonNode rate = constraints.get(i).path("rate_limit");
            if (rate.isMissingNode() && !constraints.get(i).has("budget_limit")) {
                problems.add(new ConfigException.Problem(path.toString(), "needs rate_limit, budget_limit or both"));
            }
            if (!rate.isMissingNode() && !rate.has("requests") && !rate.has("tokens") && !rate.has("per_minute")) {
                problems.add(new ConfigException.Problem(path.child("rate_limit").toString(), "needs requests, tokens or per_minute"));
            }
            boolean minuteWindow = rate.path("window").asText("minute").equals("minute");
            if (rate.has("per_minute") && rate.has("requests") && minuteWindow) {
                problems.add(new ConfigException.Problem(path.child("rate_limit").child("per_minute").toString(),
                        "per_minute and requests would both limit requests per minute: keep one, or give requests another window"));
            }
        }
        return problems;
    }
}
