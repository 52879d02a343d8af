package io.gatehouse.pipeline;

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
 */
public record CallPrincipal(String keyId, String projectId, Map<String, String> metadata) {
    /** The {@link Call#attribute} under which the call's principal is kept. */
    public static final String ATTRIBUTE = "gatehouse.principal";

    public CallPrincipal {
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }
}
