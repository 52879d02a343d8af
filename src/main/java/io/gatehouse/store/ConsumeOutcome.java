package io.gatehouse.store;

/** The result of spending one request of a key's lifetime quota. */
public enum ConsumeOutcome {
    ACCEPTED, NOT_FOUND, REVOKED, EXPIRED, PROJECT_INACTIVE, QUOTA_EXHAUSTED
}
