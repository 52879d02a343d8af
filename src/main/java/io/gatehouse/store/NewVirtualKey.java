package io.gatehouse.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a new key is made of. The secret itself is not here: only its hash and display prefix are stored.
 *
 * @param maxRequests null or 0 for unlimited (llm-proxy's convention for 0)
 */
public record NewVirtualKey(String projectId, String name, String keyHash, String keyPrefix, Instant expiresAt,
                            Long maxRequests, List<String> allowedModels, Map<String, String> metadata) {
    public NewVirtualKey {
        allowedModels = allowedModels == null ? List.of() : List.copyOf(allowedModels);
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
        maxRequests = maxRequests == null || maxRequests == 0 ? null : maxRequests;
        if (maxRequests != null && maxRequests < 0) {
            throw new IllegalArgumentException("max_requests must not be negative");
        }
        if (keyHash == null || !keyHash.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("keyHash must be a lower-case SHA-256 hex digest");
        }
    }
}
