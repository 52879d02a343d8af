package io.gatehouse.store;

import java.time.Instant;
import java.util.List;

/**
 * A tenant: it owns provider keys (kept encrypted; {@link #providers()} lists which providers have one) and the
 * virtual keys its clients use. An inactive project's keys are refused.
 *
 * @param deactivatedAt when it was last deactivated; null while active
 */
public record Project(String id, String name, boolean active, List<String> providers,
                      Instant deactivatedAt, Instant createdAt, Instant updatedAt) {
    public Project {
        providers = List.copyOf(providers);
    }
}
