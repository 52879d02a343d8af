package io.gatehouse.store;

/** A request the store refuses for a reason the caller can act on (and a management API maps to 404, 409 or 403). */
public final class StoreRejection extends StorageException {
    public enum Reason { NOT_FOUND, DUPLICATE_NAME, PROJECT_INACTIVE }

    private final Reason reason;

    public StoreRejection(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
