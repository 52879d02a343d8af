package io.gatehouse.routing;

import io.gatehouse.config.GatehouseConfig;
import io.gatehouse.config.ProviderConfig;
import io.gatehouse.config.ConfigView;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the unified API routes: every configured provider's models as {@code provider:model}, and the aliases of the
 * {@code models:} table, each to its targets in order (the first serves, the others are its fallbacks).
 */
final class ModelCatalog {
    private final Map<String, List<ModelTarget>> aliases;
    private final Map<String, String> providerTypes;
    private final Map<String, List<String>> advertised;

    private ModelCatalog(Map<String, List<ModelTarget>> aliases, Map<String, String> providerTypes,
                         Map<String, List<String>> advertised) {
        this.aliases = aliases;
        this.providerTypes = providerTypes;
        this.advertised = advertised;
    }

    static ModelCatalog of(GatehouseConfig config) {
        Map<String, String> types = new LinkedHashMap<>();
        Map<String, List<String>> advertised = new LinkedHashMap<>();
        for (ProviderConfig provider : ConfigView.providers(config)) {
            types.put(provider.name(), provider.type());
            advertised.put(provider.name(), provider.models());
        }
        Map<String, List<ModelTarget>> aliases = new LinkedHashMap<>();
        config.models().forEach((alias, targets) -> {
            List<ModelTarget> parsed = new ArrayList<>();
            for (String target : targets) {
                ModelTarget model = ModelTarget.parse(target, types.keySet());
                if (model == null) {
                    // The loader checked every target; a config built in code gets the same message.
                    throw new IllegalArgumentException("models." + alias + ": \"" + target
                            + "\" does not name a configured provider as provider:model");
                }
                parsed.add(model);
            }
            aliases.put(alias, List.copyOf(parsed));
        });
        return new ModelCatalog(Collections.unmodifiableMap(aliases), Collections.unmodifiableMap(types),
                Collections.unmodifiableMap(advertised));
    }

    /** The targets a client's model id routes to, or an empty list when it names no alias and no provider. */
    List<ModelTarget> resolve(String id) {
        List<ModelTarget> alias = aliases.get(id);
        if (alias != null) {
            return alias;
        }
        ModelTarget direct = ModelTarget.parse(id, providerTypes.keySet());
        return direct == null ? List.of() : List.of(direct);
    }

    String typeOf(String provider) {
        return providerTypes.get(provider);
    }

    /** True when the config lists something for {@code /v1/models} to answer with. */
    boolean listsModels() {
        return !aliases.isEmpty() || advertised.values().stream().anyMatch(models -> !models.isEmpty());
    }

    /** Every routable id the config names, aliases first, each with who serves it. */
    Map<String, String> listed() {
        Map<String, String> ids = new LinkedHashMap<>();
        aliases.forEach((alias, targets) -> ids.put(alias, targets.get(0).provider()));
        advertised.forEach((provider, models) -> models.forEach(model -> ids.put(provider + ":" + model, provider)));
        return ids;
    }
}
