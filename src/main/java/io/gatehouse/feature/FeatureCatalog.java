package io.gatehouse.feature;

import io.gatehouse.config.LimitsConfig;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Every configured feature, resolved once at load (inheritance applied), by name. Immutable. */
public final class FeatureCatalog {
    /** The feature a call gets when it names none, if one is configured under this name (as in SLLMP). */
    public static final String DEFAULT_FEATURE = "default";

    private final Map<String, Feature> byName;

    private FeatureCatalog(Map<String, Feature> byName) {
        this.byName = byName;
    }

    public static FeatureCatalog of(FeaturesConfig config) {
        Map<String, Feature> resolved = new LinkedHashMap<>();
        config.features().forEach((name, own) -> resolved.put(name,
                Feature.resolve(name, config.defaults(), own == null ? new FeatureSettings(null, null, null, null, null, null) : own)));
        return new FeatureCatalog(java.util.Collections.unmodifiableMap(resolved));
    }

    /** Each feature's budget constraints, by feature name; features without any are left out. */
    public Map<String, List<LimitsConfig.Constraint>> budgetConstraints() {
        Map<String, List<LimitsConfig.Constraint>> budgets = new LinkedHashMap<>();
        byName.forEach((name, feature) -> {
            if (!feature.budgetConstraints().isEmpty()) {
                budgets.put(name, feature.budgetConstraints());
            }
        });
        return budgets;
    }

    public boolean isEmpty() {
        return byName.isEmpty();
    }

    public Optional<Feature> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** The names, in config order, for messages that list what a client could have asked for. */
    public Iterable<String> names() {
        return byName.keySet();
    }
}
