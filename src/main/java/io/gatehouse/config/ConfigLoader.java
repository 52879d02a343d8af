package io.gatehouse.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.gatehouse.feature.FeaturesConfig;
import io.gatehouse.logging.SecretRedactor;
import org.yaml.snakeyaml.error.MarkedYAMLException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Builds the effective configuration: the YAML file (with {@code ${VAR}} expanded), then the environment, then
 * command-line flags, then defaults; validates the result against the schema and binds it to
 * {@link GatehouseConfig}. Every configured key is registered with {@link SecretRedactor} so logs mask it.
 */
public final class ConfigLoader {
    private static final ObjectMapper YAML = YAMLMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    private static final ObjectMapper BINDER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private ConfigLoader() {
    }

    /**
     * @param fileOrNull    YAML file, or null to build the configuration from env and flags alone
     * @param env           environment variables, for {@code ${VAR}}, {@code LLM_*}, {@code LOG_LEVEL} and key fallbacks
     * @param flagOverrides dotted key paths ({@code server.port}, {@code llm.base_url}, …) to values; nulls are ignored
     * @throws ConfigException naming each key at fault and why
     */
    public static GatehouseConfig load(Path fileOrNull, Map<String, String> env, Map<String, Object> flagOverrides) {
        JsonNode fromFile = fileOrNull == null ? YAML.createObjectNode() : readYaml(fileOrNull);
        ObjectNode tree = (ObjectNode) EnvSubstitution.apply(fromFile, env, ConfigSchema.get()::isTextKey);
        removeNulls(tree);
        ConfigOverrides.apply(tree, env, flagOverrides);
        List<ConfigException.Problem> problems = ConfigValidator.validate(tree);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        GatehouseConfig config = bind(tree);
        registerSecrets(config);
        return config;
    }

    private static JsonNode readYaml(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw ConfigException.ofFile("file not found");
        } catch (IOException e) {
            throw ConfigException.ofFile("cannot read the file (" + e.getClass().getSimpleName() + ")");
        }
        JsonNode tree;
        try {
            tree = YAML.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw ConfigException.ofFile(syntaxError(e));
        } catch (IOException e) {
            throw ConfigException.ofFile("cannot parse the file (" + e.getClass().getSimpleName() + ")");
        }
        if (tree == null || tree.isMissingNode() || tree.isNull()) {
            return YAML.createObjectNode();
        }
        if (!tree.isObject()) {
            throw ConfigException.ofFile("the top level must be a mapping of keys such as server: and llm:");
        }
        return tree;
    }

    /**
     * Where and what, without the parser's excerpt of the offending line, which may hold a key.
     */
    private static String syntaxError(JsonProcessingException e) {
        JsonLocation location = e.getLocation();
        String where = location == null ? "YAML syntax error" : "YAML syntax error at line " + location.getLineNr()
                + ", column " + location.getColumnNr();
        if (e.getCause() instanceof MarkedYAMLException yaml) {
            String context = yaml.getContext() == null ? "" : yaml.getContext() + ": ";
            return where + ": " + context + yaml.getProblem();
        }
        return where + ": " + e.getOriginalMessage();
    }

    /** {@code key:} with nothing after it means "use the default", the same as leaving the key out. */
    private static void removeNulls(JsonNode node) {
        if (node instanceof ObjectNode object) {
            object.properties().removeIf(field -> field.getValue().isNull());
        }
        node.forEach(ConfigLoader::removeNulls);
    }

    private static GatehouseConfig bind(ObjectNode tree) {
        try {
            return BINDER.treeToValue(tree, GatehouseConfig.class);
        } catch (JsonMappingException e) {
            throw new ConfigException(List.of(new ConfigException.Problem(pathOf(e).toString(), "has the wrong shape")));
        } catch (JsonProcessingException e) {
            throw ConfigException.ofFile("cannot read the configuration (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static ConfigPath pathOf(JsonMappingException e) {
        ConfigPath path = ConfigPath.ROOT;
        for (JsonMappingException.Reference reference : e.getPath()) {
            path = reference.getFieldName() != null ? path.child(reference.getFieldName()) : path.index(reference.getIndex());
        }
        return path;
    }

    private static void registerSecrets(GatehouseConfig config) {
        ConfigView.providers(config).forEach(provider -> {
            SecretRedactor.register(provider.apiKey());
            provider.deployments().forEach(deployment -> SecretRedactor.register(deployment.apiKey()));
        });
        config.interceptors().forEach(interceptor -> registerSecretValues(interceptor.config()));
        FeaturesConfig features = config.features();
        if (features.defaults() != null && features.defaults().providerApiKeys() != null) {
            features.defaults().providerApiKeys().values().forEach(SecretRedactor::register);
        }
        features.features().values().stream()
                .filter(feature -> feature != null && feature.providerApiKeys() != null)
                .forEach(feature -> feature.providerApiKeys().values().forEach(SecretRedactor::register));
    }

    private static void registerSecretValues(JsonNode node) {
        if (node.isArray()) {
            node.forEach(ConfigLoader::registerSecretValues);
            return;
        }
        node.properties().forEach(field -> {
            JsonNode value = field.getValue();
            if (value.isTextual() && ConfigPath.isSecretName(field.getKey())) {
                SecretRedactor.register(value.textValue());
            } else {
                registerSecretValues(value);
            }
        });
    }
}
