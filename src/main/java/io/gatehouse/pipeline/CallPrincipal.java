package io.gatehouse.pipeline;

import java.util.List;
import java.util.Map;

/**
 * Who a call is made for, as authentication established it: the virtual key, its project and the key's metadata
 * ({@code user}, {@code team}, {@code feature}, …). The authenticating interceptor leaves it in the call under
 * {@link #ATTRIBUTE}; features that split by tenant (limits, budgets) read it from there and trust it over anything
 * the client sends itself.
 *
 * @param keyId     the virtual key's id (never the key itself), or null
 * @param projectId the key's project, or null
 * @param metadata  the key's metadata; never null
 * @param allowedModels the key's allowed-model globs; empty for any model
 */
public record CallPrincipal(String keyId, String projectId, Map<String, String> metadata, List<String> allowedModels) {
    /** The {@link Call#attribute} under which the call's principal is kept. */
    public static final String ATTRIBUTE = "gatehouse.principal";

    public CallPrincipal {
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
        allowedModels = allowedModels == null ? List.of() : List.copyOf(allowedModels);
    }

    /** A principal whose key may use any model. */
    public CallPrincipal(String keyId, String projectId, Map<String, String> metadata) {
        this(keyId, projectId, metadata, List.of());
    }

    /**
     * Whether the key may use this model, named as the client names it or as configuration does
     * ({@code provider:model}, which also passes when the bare model is allowed).
     */
    public boolean mayUse(String model) {
        return ModelGlobs.allowsModelId(allowedModels, model);
    }
}
