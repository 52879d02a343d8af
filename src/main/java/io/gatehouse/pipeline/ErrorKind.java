package io.gatehouse.pipeline;

/** What kind of failure the gateway reports; each wire format names it in its own words. */
public enum ErrorKind {
    INVALID_REQUEST(400),
    AUTHENTICATION(401),
    PERMISSION(403),
    NOT_FOUND(404),
    REQUEST_TOO_LARGE(413),
    RATE_LIMIT(429),
    /** One of the gateway's own rate limits refused the call. */
    RATE_LIMIT_EXCEEDED(429),
    /** One of the gateway's own budgets refused the call. */
    BUDGET_EXCEEDED(429),
    INTERNAL(500),
    UPSTREAM_UNREACHABLE(502),
    /** The upstream broke off a response it had begun. */
    UPSTREAM_BROKEN(502),
    UPSTREAM_TIMEOUT(504);

    private final int status;

    ErrorKind(int status) {
        this.status = status;
    }

    public int status() {
        return status;
    }
}
