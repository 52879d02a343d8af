package io.gatehouse.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.gatehouse.proxy.InterceptorRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class ConfigSchemaTest {
    /** A commented-out {@code key: value} or {@code - key: value} line of the example. */
    private static final Pattern COMMENTED_KEY = Pattern.compile("^(\\s*)# ( *(- )?[a-z_]+:( .*)?)$");

    /** Conditions constrain keys declared elsewhere; they declare none of their own. */
    private static final Set<String> CONDITIONS = Set.of("if", "then", "not");

    private final JsonNode schema = ConfigSchema.get().document();

    @Test
    void isAValidDraft202012Schema() {
        JsonSchema metaSchema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));
        Set<ValidationMessage> problems = metaSchema.validate(schema);
        assertThat(problems).isEmpty();
        assertThat(schema.path("$schema").textValue()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
    }

    @Test
    void everyMappingRejectsUnknownKeysAndEveryKeyIsDescribed() {
        List<String> violations = new ArrayList<>();
        inspect(schema, "#", violations);
        assertThat(violations).isEmpty();
    }

    private void inspect(JsonNode node, String where, List<String> violations) {
        if (node.has("properties") && !node.path("additionalProperties").isBoolean()) {
            violations.add(where + ": additionalProperties is not false");
        }
        node.path("properties").properties().forEach(property -> {
            if (!property.getValue().has("description")) {
                violations.add(where + "/" + property.getKey() + ": no description");
            }
        });
        node.properties().forEach(child -> {
            if (CONDITIONS.contains(child.getKey())) {
                return;
            }
            if (child.getValue().isObject()) {
                inspect(child.getValue(), where + "/" + child.getKey(), violations);
            } else if (child.getValue().isArray()) {
                child.getValue().forEach(item -> inspect(item, where + "/" + child.getKey() + "[]", violations));
            }
        });
    }

    @Test
    void interceptorTypesAreExactlyTheRegisteredOnes() {
        Set<String> inSchema = new HashSet<>();
        schema.at("/$defs/interceptor/properties/type/enum").forEach(type -> inSchema.add(type.textValue()));
        assertThat(inSchema).isEqualTo(InterceptorRegistry.types());
        Set<String> withSettings = new HashSet<>();
        schema.at("/$defs/interceptor/allOf").forEach(rule -> withSettings.add(rule.at("/if/properties/type/const").textValue()));
        assertThat(withSettings).isEqualTo(InterceptorRegistry.types());
    }

    @Test
    void theExampleIsValidWithoutAnyEnvironment(@TempDir Path dir) throws Exception {
        Path example = Files.writeString(dir.resolve("example.yaml"), ExampleConfig.yaml());
        GatehouseConfig config = ConfigLoader.load(example, Map.of(), Map.of());
        assertThat(config.llm().apiKey()).isEmpty();
        assertThat(config.interceptors()).hasSize(1);
    }

    @Test
    void theExampleWithItsCommentedKeysEnabledIsValidToo(@TempDir Path dir) throws Exception {
        Path example = Files.writeString(dir.resolve("example.yaml"), uncommented(ExampleConfig.yaml()));
        GatehouseConfig config = ConfigLoader.load(example, Map.of(), Map.of());
        assertThat(config.server().workers()).isEqualTo(4);
        assertThat(config.providers()).extracting(ProviderConfig::name).containsExactly("anthropic");
        assertThat(config.defaultProvider()).isEqualTo("default");
    }

    @Test
    void theExampleShowsEveryKeyOfTheSchemaWithItsDefault() throws Exception {
        JsonNode example = new YAMLMapper().readTree(uncommented(ExampleConfig.yaml()));
        List<String> problems = new ArrayList<>();
        compare(example, schema, "", problems);
        compare(example.at("/interceptors/0/config"), schema.at("/$defs/printerConfig"), "/interceptors/0/config", problems);
        Map<String, String> recorderSettings = Map.of("message_logger", "messageLoggerConfig",
                "event_recorder", "eventRecorderConfig", "http_recorder", "httpRecorderConfig", "trace", "traceConfig");
        Set<String> shown = new HashSet<>();
        for (int i = 1; i < example.path("interceptors").size(); i++) {
            JsonNode entry = example.path("interceptors").get(i);
            String type = entry.path("type").asText();
            shown.add(type);
            compare(entry.path("config"), schema.at("/$defs/" + recorderSettings.get(type)), "/interceptors/" + i + "/config", problems);
        }
        assertThat(shown).isEqualTo(recorderSettings.keySet());
        assertThat(problems).isEmpty();
    }

    /**
     * Every schema key appears in the example, and where the schema states a default the example shows it.
     * Provider entries take the same keys as llm, so the example's provider stays short and is not compared.
     */
    private void compare(JsonNode example, JsonNode schemaNode, String where, List<String> problems) {
        resolve(schemaNode).path("properties").properties().forEach(property -> {
            String key = where + "/" + property.getKey();
            JsonNode value = example.get(property.getKey());
            if (value == null) {
                problems.add(key + ": missing from the example");
                return;
            }
            JsonNode defaultValue = resolve(property.getValue()).get("default");
            boolean reference = value.isTextual() && value.textValue().startsWith("${");
            if (defaultValue != null && defaultValue.isValueNode() && !reference && !value.asText().equals(defaultValue.asText())) {
                problems.add(key + ": example shows " + value + ", default is " + defaultValue);
            }
            if (value.isObject()) {
                compare(value, property.getValue(), key, problems);
            } else if (value.isArray() && !property.getKey().equals("providers")) {
                value.forEach(item -> compare(item, resolve(property.getValue()).get("items"), key + "[]", problems));
            }
        });
    }

    private JsonNode resolve(JsonNode node) {
        return node.has("$ref") ? schema.at(node.get("$ref").textValue().substring(1)) : node;
    }

    private static String uncommented(String yaml) {
        StringBuilder out = new StringBuilder();
        for (String line : yaml.split("\n")) {
            var matcher = COMMENTED_KEY.matcher(line);
            out.append(matcher.matches() ? matcher.group(1) + matcher.group(2) : line).append('\n');
        }
        return out.toString();
    }
}
