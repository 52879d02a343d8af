package io.gatehouse.feature;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The top-level {@code features:} block: SLLMP's {@code defaults} and {@code features} under one key, so the rest of
 * the file keeps its meaning and a config without features has no feature behaviour at all.
 *
 * @param defaults what every feature starts from; may be absent
 * @param features feature name → its settings, in file order
 */
public record FeaturesConfig(FeatureSettings defaults, Map<String, FeatureSettings> features) {

    public FeaturesConfig {
        features = features == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(features));
    }

    public static FeaturesConfig none() {
        return new FeaturesConfig(null, null);
    }
}
