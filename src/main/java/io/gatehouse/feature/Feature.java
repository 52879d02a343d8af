package io.gatehouse.feature;

import io.gatehouse.config.LimitsConfig;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One feature after inheritance: what a call of this feature gets.
 *
 * @param name            the feature's name, which becomes the call's {@code feature} dimension
 * @param provider        the provider {@code model} names, or null when the feature keeps the client's model
 * @param model           the model sent upstream, or null when the feature keeps the client's model
 * @param providerApiKeys provider name → credential for this feature's calls; never null
 * @param budgetConstraints the limits constraints counting only this feature's calls, each named by its map key
 * @param description     may be null
 * @param owner           may be null
 * @param custom          free-form settings; never null
 */
public record Feature(String name, String provider, String model, Map<String, String> providerApiKeys,
                      List<LimitsConfig.Constraint> budgetConstraints, String description, String owner, Map<String, Object> custom) {

    public Feature {
        providerApiKeys = Map.copyOf(providerApiKeys);
        budgetConstraints = List.copyOf(budgetConstraints);
        custom = custom == null ? Map.of() : java.util.Collections.unmodifiableMap(new HashMap<>(custom));
    }

    /**
     * SLLMP's inheritance: start from the defaults; {@code provider_api_keys} and {@code budget_constraints} merged by
     * key with the feature winning;
     * every other field the feature writes replaces the default wholesale.
     */
    static Feature resolve(String name, FeatureSettings defaults, FeatureSettings own) {
        FeatureSettings base = defaults == null ? new FeatureSettings(null, null, null, null, null, null) : defaults;
        Map<String, String> keys = new HashMap<>();
        if (base.providerApiKeys() != null) {
            keys.putAll(base.providerApiKeys());
        }
        if (own.providerApiKeys() != null) {
            keys.putAll(own.providerApiKeys());
        }
        // An empty key is what `${VAR:-}` leaves when the variable is unset: the call keeps its usual credential.
        keys.values().removeIf(String::isBlank);
        Map<String, LimitsConfig.Constraint> budgets = new LinkedHashMap<>();
        if (base.budgetConstraints() != null) {
            budgets.putAll(base.budgetConstraints());
        }
        if (own.budgetConstraints() != null) {
            budgets.putAll(own.budgetConstraints());
        }
        List<LimitsConfig.Constraint> named = budgets.entrySet().stream()
                .map(entry -> new LimitsConfig.Constraint(entry.getKey(), entry.getValue().dimensions(),
                        entry.getValue().rateLimit(), entry.getValue().budgetLimit(), entry.getValue().description()))
                .toList();
        String model = own.model() != null ? own.model() : base.model();
        String provider = null;
        String upstreamModel = null;
        if (model != null) {
            int colon = model.indexOf(':');
            provider = model.substring(0, colon);
            upstreamModel = model.substring(colon + 1);
        }
        return new Feature(name, provider, upstreamModel, keys, named,
                own.description() != null ? own.description() : base.description(),
                own.owner() != null ? own.owner() : base.owner(),
                own.custom() != null ? own.custom() : base.custom());
    }
}
