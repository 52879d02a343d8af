package io.gatehouse.replay;

/**
 * One error record: the call failed (upstream unreachable, stream cut, client gone).
 *
 * @param status the status the client had seen, 0 when none reached it
 */
record RecordedError(String type, String message, int status) {
}
