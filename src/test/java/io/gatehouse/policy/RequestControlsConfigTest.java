package io.gatehouse.policy;

import io.gatehouse.config.ConfigException;
import io.gatehouse.config.ConfigLoader;
import io.gatehouse.config.ConfigView;
import io.gatehouse.config.ExampleConfig;
import io.gatehouse.config.GatehouseConfig;
import io.gatehouse.config.ProviderConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The five request-control keys as the config file declares, validates and shows them. */
class RequestControlsConfigTest {
    @TempDir
    Path dir;

    private GatehouseConfig load(String yaml) {
        try {
            return ConfigLoader.load(Files.writeString(dir.resolve("gatehouse.yaml"), yaml), Map.of(), Map.of());
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    private String error(String yaml) {
        return org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class, () -> load(yaml)).getMessage();
    }

    @Test
    void bindsEveryKeyOnLlmAndOnProviders() {
        GatehouseConfig config = load("""
                llm:
                  type: openai
                  allowed_methods: [get, POST]
                  allowed_paths: [/v1/chat/completions, "/v1/*/models"]
                  required_headers: [x-team]
                  allowed_origins: ["https://app.example.com", "*"]
                  param_whitelist:
                    model: [gpt-4o*, gpt-4.1-*]
                    "response_format.type": [text]
                    tools[].function.name: [get_*]
                    temperature: [0, 0.5, 1]
                    stream: [false]
                providers:
                  - name: claude
                    type: anthropic
                    param_whitelist: {model: [claude-*]}
                  - name: plain
                    type: openai
                """);
        ProviderConfig llm = config.llm();
        assertThat(llm.allowedMethods()).containsExactly("get", "POST");
        assertThat(llm.allowedPaths()).containsExactly("/v1/chat/completions", "/v1/*/models");
        assertThat(llm.requiredHeaders()).containsExactly("x-team");
        assertThat(llm.allowedOrigins()).containsExactly("https://app.example.com", "*");
        assertThat(llm.paramWhitelist()).containsExactly(
                Map.entry("model", List.of("gpt-4o*", "gpt-4.1-*")),
                Map.entry("response_format.type", List.of("text")),
                Map.entry("tools[].function.name", List.of("get_*")),
                Map.entry("temperature", List.of("0", "0.5", "1")),
                Map.entry("stream", List.of("false")));
        assertThat(config.providers().get(0).paramWhitelist()).containsEntry("model", List.of("claude-*"));
        assertThat(config.providers().get(0).hasRequestControls()).isTrue();
        assertThat(config.providers().get(1).hasRequestControls()).isFalse();
        assertThat(config.providers().get(1).allowedOrigins()).isEmpty();
        assertThat(ConfigView.providers(config).get(0).allowedOrigins()).as("the llm block keeps them under its name")
                .containsExactly("https://app.example.com", "*");
    }

    @Test
    void theConfigEndpointViewShowsTheControls() {
        GatehouseConfig config = load("""
                llm: {type: openai, allowed_methods: [POST], param_whitelist: {model: [gpt-4o]}}
                """);
        var view = ConfigView.effective(config).path("llm");
        assertThat(view.path("allowed_methods").get(0).textValue()).isEqualTo("POST");
        assertThat(view.path("param_whitelist").path("model").get(0).textValue()).isEqualTo("gpt-4o");
        assertThat(view.path("allowed_origins").isArray()).isTrue();
    }

    @Test
    void aMisspelledKeyIsNamedWithItsPath() {
        assertThat(error("llm: {type: openai, allowed_origin: [\"*\"]}\n"))
                .contains("llm.allowed_origin: unknown key (allowed: ")
                .contains("allowed_origins").contains("param_whitelist");
        assertThat(error("llm: {type: openai}\nproviders:\n  - {name: b, type: openai, param_whitelists: {}}\n"))
                .contains("providers[0].param_whitelists: unknown key");
    }

    @Test
    void listsMustBeListsOfTheRightStrings() {
        assertThat(error("llm: {type: openai, allowed_methods: POST}\n"))
                .contains("llm.allowed_methods: must be an array (got a string)".replace("an array", "a list"));
        assertThat(error("llm: {type: openai, allowed_methods: [\"PO ST\"]}\n"))
                .contains("llm.allowed_methods[0]: must be an HTTP method such as GET or POST (got \"PO ST\")");
        assertThat(error("llm: {type: openai, allowed_paths: [v1/models]}\n"))
                .contains("llm.allowed_paths[0]: must be a path starting with / such as /v1/chat/completions (got \"v1/models\")");
        assertThat(error("llm: {type: openai, required_headers: [\"x team\"]}\n"))
                .contains("llm.required_headers[0]: must be a header name such as x-team (got \"x team\")");
        assertThat(error("llm: {type: openai, allowed_origins: [\"https://app.example.com/\"]}\n"))
                .contains("llm.allowed_origins[0]: must be * or an origin such as https://app.example.com");
        assertThat(error("llm: {type: openai, required_headers: [1]}\n"))
                .contains("llm.required_headers[0]: must be a string (got an integer)");
    }

    @Test
    void theWhitelistIsAMappingOfFieldPathsToPatternLists() {
        assertThat(error("llm: {type: openai, param_whitelist: [model]}\n"))
                .contains("llm.param_whitelist: must be an object (got a list)".replace("an object", "a mapping"));
        assertThat(error("llm: {type: openai, param_whitelist: {model: gpt-4o}}\n"))
                .contains("llm.param_whitelist.model: must be a list (got a string)");
        assertThat(error("llm: {type: openai, param_whitelist: {model: []}}\n"))
                .contains("llm.param_whitelist.model");
        assertThat(error("llm: {type: openai, param_whitelist: {model: [{a: 1}]}}\n"))
                .contains("llm.param_whitelist.model[0]: must be a string or a number or a boolean (got a mapping)");
        assertThat(error("llm: {type: openai, param_whitelist: {\"response_format..type\": [x]}}\n"))
                .contains("must be a field path such as model, response_format.type or tools[].function.name (got \"response_format..type\")");
    }

    @Test
    void aFieldPathThatIsNotOneIsRefusedWhenBuiltInCodeToo() {
        ProviderConfig provider = new ProviderConfig("p", "openai", "http://127.0.0.1:1", null, null, null, null, null,
                Map.of("tools[0].name", List.of("x")), null, null, null, null);
        assertThatThrownBy(() -> RequestControlsInterceptor.forProviders(List.of(provider)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"tools[0].name\" is not a field path");
    }

    @Test
    void theGeneratedExampleDocumentsTheKeys() {
        assertThat(ExampleConfig.yaml()).contains("# allowed_methods:", "# allowed_paths:", "# required_headers:",
                "# allowed_origins:", "# param_whitelist:");
    }
}
