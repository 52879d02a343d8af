package io.gatehouse.store;

import java.util.List;

/**
 * The outcome of an update.
 *
 * @param revokedKeyHashes hashes of the virtual keys this update revoked, for the lookup cache to drop
 */
public record ProjectUpdate(Project project, List<String> revokedKeyHashes) {
    public ProjectUpdate {
        revokedKeyHashes = List.copyOf(revokedKeyHashes);
    }
}
