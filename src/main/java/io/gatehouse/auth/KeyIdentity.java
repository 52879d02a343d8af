package io.gatehouse.auth;

import java.util.Map;

/**
 * Who a call was authenticated as, left in the call attribute {@link #ATTRIBUTE} for later interceptors (limits,
 * budgets, recorders) to group by. Never the secret.
 *
 * @param metadata the key's free labels: user, team, feature, …
 */
public record KeyIdentity(String keyId, String projectId, String keyName, Map<String, String> metadata) {
    public static final String ATTRIBUTE = "gatehouse.key-identity";

    public KeyIdentity {
        metadata = Map.copyOf(metadata);
    }

    public String user() {
        return metadata.get("user");
    }

    public String team() {
        return metadata.get("team");
    }

    public String feature() {
        return metadata.get("feature");
    }
}
