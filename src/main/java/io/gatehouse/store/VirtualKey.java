package io.gatehouse.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A gateway key as stored: never the secret, only its SHA-256 ({@link #keyHash()}) and the first characters
 * ({@link #keyPrefix()}) for people to recognise it.
 *
 * @param maxRequests   lifetime request quota; null for unlimited
 * @param allowedModels glob patterns ({@code gpt-4o*}); empty allows every model
 * @param metadata      free labels (user, team, feature, …) that limits and budgets group by
 * @param revokedAt     when it was revoked; null while usable
 */
public record VirtualKey(String id, String projectId, String name, String keyHash, String keyPrefix,
                         Instant expiresAt, Instant revokedAt, Long maxRequests, long requestCount,
                         List<String> allowedModels, Map<String, String> metadata,
                         Instant createdAt, Instant lastUsedAt) {
    public VirtualKey {
        allowedModels = List.copyOf(allowedModels);
        metadata = Map.copyOf(metadata);
    }

    /** llm-proxy's {@code is_active}: not revoked. */
    public boolean active() {
        return revokedAt == null;
    }

    public boolean expiredAt(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }
}
