package io.gatehouse.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A partial update of a virtual key; null fields stay as they are.
 *
 * @param active      false revokes, true reinstates a revoked key (llm-proxy's {@code PATCH is_active})
 * @param maxRequests 0 makes the key unlimited
 */
public record KeyChanges(String name, Boolean active, Long maxRequests, Instant expiresAt,
                         List<String> allowedModels, Map<String, String> metadata) {
    public KeyChanges {
        if (maxRequests != null && maxRequests < 0) {
            throw new IllegalArgumentException("max_requests must not be negative");
        }
    }

    public static KeyChanges revoke() {
        return new KeyChanges(null, false, null, null, null, null);
    }
}
