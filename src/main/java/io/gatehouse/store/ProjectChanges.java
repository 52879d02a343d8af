package io.gatehouse.store;

import java.util.Map;
import java.util.Set;

/**
 * A partial update of a project; null fields stay as they are.
 *
 * @param providerKeys     provider name to its new key in clear (encrypted before it is stored)
 * @param removedProviders providers whose key is deleted
 * @param revokeKeys       with {@code active = false}: also revoke every virtual key of the project
 */
public record ProjectChanges(String name, Boolean active, Map<String, String> providerKeys,
                             Set<String> removedProviders, boolean revokeKeys) {
    public ProjectChanges {
        providerKeys = providerKeys == null ? Map.of() : Map.copyOf(providerKeys);
        removedProviders = removedProviders == null ? Set.of() : Set.copyOf(removedProviders);
    }

    public static ProjectChanges deactivate(boolean revokeKeys) {
        return new ProjectChanges(null, false, null, null, revokeKeys);
    }

    public static ProjectChanges activate() {
        return new ProjectChanges(null, true, null, null, false);
    }
}
