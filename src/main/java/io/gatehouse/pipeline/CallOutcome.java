package io.gatehouse.pipeline;

/** How a call ended. */
public enum CallOutcome {
    /** The whole response reached the client, whatever its status. */
    COMPLETED,
    /** The gateway or the upstream failed: no response, or a response cut short. */
    FAILED,
    /** The client went away before the response was complete. */
    ABORTED
}
