package io.gatehouse.feature;

import io.gatehouse.config.ConfigException;
import io.gatehouse.config.ConfigLoader;
import io.gatehouse.config.GatehouseConfig;
import io.gatehouse.config.LimitsConfig;
import io.gatehouse.logging.SecretRedactor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The features block as the loader reads it: inheritance, substitution and errors naming their path. */
class FeatureConfigTest {
    private static final String PROVIDERS = """
            providers:
              - {name: openai, type: openai, base_url: "https://api.openai.com"}
              - {name: groq, type: openai, base_url: "https://api.groq.com/openai"}
            """;

    @TempDir
    Path dir;

    private GatehouseConfig load(String yaml, Map<String, String> env) throws Exception {
        return ConfigLoader.load(Files.writeString(dir.resolve("gatehouse.yaml"), PROVIDERS + yaml), env, Map.of());
    }

    private FeatureCatalog catalog(String yaml, Map<String, String> env) throws Exception {
        return FeatureCatalog.of(load(yaml, env).features());
    }

    @Test
    void featuresInheritDefaultsWithMapsMergedAndScalarsReplaced() throws Exception {
        FeatureCatalog catalog = catalog("""
                features:
                  defaults:
                    model: openai:gpt-4o-mini
                    provider_api_keys: {openai: "${OPENAI_FEATURE_KEY}", groq: gsk-default-key}
                    budget_constraints:
                      hourly: {rate_limit: {requests: 100, window: hour}}
                      daily: {budget_limit: {limit: 5.0, window: day}}
                  features:
                    search:
                      model: groq:llama-3
                      provider_api_keys: {groq: gsk-search-key}
                      budget_constraints:
                        daily: {dimensions: [user], budget_limit: {limit: 1.0}}
                      description: search box
                      owner: search-team
                      custom: {tier: gold}
                    plain: {}
                """, Map.of("OPENAI_FEATURE_KEY", "sk-from-env-0001"));

        Feature search = catalog.find("search").orElseThrow();
        assertThat(search.provider()).isEqualTo("groq");
        assertThat(search.model()).isEqualTo("llama-3");
        assertThat(search.providerApiKeys()).containsExactlyInAnyOrderEntriesOf(
                Map.of("openai", "sk-from-env-0001", "groq", "gsk-search-key"));
        assertThat(search.budgetConstraints()).extracting(LimitsConfig.Constraint::name).containsExactly("hourly", "daily");
        assertThat(search.budgetConstraints().get(1).budgetLimit().limit()).isEqualTo(1.0);
        assertThat(search.budgetConstraints().get(1).dimensions()).containsExactly("user");
        assertThat(search.description()).isEqualTo("search box");
        assertThat(search.owner()).isEqualTo("search-team");
        assertThat(search.custom()).isEqualTo(Map.of("tier", "gold"));
        Feature inherited = catalog.find("plain").orElseThrow();
        assertThat(inherited.provider()).isEqualTo("openai");
        assertThat(inherited.model()).isEqualTo("gpt-4o-mini");
        assertThat(inherited.providerApiKeys()).containsExactlyInAnyOrderEntriesOf(
                Map.of("openai", "sk-from-env-0001", "groq", "gsk-default-key"));
        assertThat(inherited.custom()).isEmpty();
        assertThat(inherited.budgetConstraints()).extracting(LimitsConfig.Constraint::name).containsExactly("hourly", "daily");
        assertThat(inherited.budgetConstraints().get(1).budgetLimit().limit()).isEqualTo(5.0);
        assertThat(catalog.names()).containsExactly("search", "plain");
        assertThat(SecretRedactor.redact("key sk-from-env-0001 and gsk-search-key"))
                .doesNotContain("sk-from-env-0001").doesNotContain("gsk-search-key");
    }

    @Test
    void aModelOrKeyForAnUnknownProviderNamesItsPath() {
        assertThatThrownBy(() -> load("""
                features:
                  features:
                    search: {model: "mistral:small"}
                """, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("features.features.search.model")
                .hasMessageContaining("\"mistral\" is not a configured provider");
        assertThatThrownBy(() -> load("""
                features:
                  defaults:
                    provider_api_keys: {mistral: abc}
                """, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("features.defaults.provider_api_keys.mistral");
    }

    @Test
    void aBudgetConstraintThatLimitsNothingOrHasANameKeyIsRejected() {
        assertThatThrownBy(() -> load("""
                features:
                  features:
                    search: {budget_constraints: {daily: {dimensions: [user]}}}
                """, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("features.features.search.budget_constraints.daily")
                .hasMessageContaining("needs rate_limit, budget_limit or both");
        assertThatThrownBy(() -> load("""
                features:
                  features:
                    search: {budget_constraints: {daily: {name: x, budget_limit: {limit: 1.0}}}}
                """, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("features.features.search.budget_constraints.daily")
                .hasMessageContaining("name");
    }

    @Test
    void unknownKeysAndAModelWithoutProviderAreRejectedWithTheirPath() {
        assertThatThrownBy(() -> load("""
                features:
                  features:
                    search: {modle: "openai:gpt-4o"}
                """, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("features.features.search")
                .hasMessageContaining("modle");
        assertThatThrownBy(() -> load("""
                features:
                  features:
                    search: {model: gpt-4o}
                """, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("features.features.search.model")
                .hasMessageContaining("provider:model");
    }
}
