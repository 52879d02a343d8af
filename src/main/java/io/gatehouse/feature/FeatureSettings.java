package io.gatehouse.feature;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.gatehouse.config.LimitsConfig;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One block of the {@code features:} config, either {@code defaults} or one named feature, as written: every field
 * may be absent, and what a feature leaves out it inherits from the defaults (see {@link FeatureCatalog}).
 *
 * @param model           {@code provider:model}; replaces the model the client sent and routes the call to that provider
 * @param providerApiKeys provider name → the credential this feature's calls use at that provider
 * @param budgetConstraints name → a limits constraint (without its {@code name}: the map key is it) that counts only
 *                          this feature's calls
 * @param description     what the feature is, for people reading the config
 * @param owner           who answers for the feature
 * @param custom          free-form settings carried with the feature
 */
public record FeatureSettings(
        String model,
        @JsonProperty("provider_api_keys") Map<String, String> providerApiKeys,
        @JsonProperty("budget_constraints") Map<String, LimitsConfig.Constraint> budgetConstraints,
        String description,
        String owner,
        Map<String, Object> custom) {

    public FeatureSettings {
        // Null means "not written here, inherit"; an empty map is kept empty (merging it changes nothing).
        providerApiKeys = providerApiKeys == null ? null : Map.copyOf(providerApiKeys);
        budgetConstraints = budgetConstraints == null ? null
                : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(budgetConstraints));
        custom = custom == null ? null : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(custom));
    }
}
