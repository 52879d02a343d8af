package io.gatehouse.store;

import java.time.Instant;

/**
 * Filters for listing audit entries; null fields do not filter.
 *
 * @param search a case-insensitive substring of the action, actor or target
 */
public record AuditQuery(String action, String actor, String outcome, String target, String requestId,
                         String search, Instant from, Instant until) {
    public static final AuditQuery ALL = new AuditQuery(null, null, null, null, null, null, null, null);
}
