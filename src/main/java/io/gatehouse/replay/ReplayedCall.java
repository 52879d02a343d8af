package io.gatehouse.replay;

/**
 * What became of one recorded call when it was sent again.
 *
 * @param recordedStatus the status recorded for it; 0 when none reached the client
 * @param status         the status it got now; 0 when no complete response came
 * @param failure        why no complete response came, or null
 */
record ReplayedCall(String requestId, String method, String path, int recordedStatus, int status, String failure) {

    static ReplayedCall of(RecordedCall call, int status, String failure) {
        RecordedRequest request = call.request();
        int recordedStatus = call.response() != null ? call.response().status()
                : call.error() != null ? call.error().status() : 0;
        return new ReplayedCall(request.requestId(), request.method(), request.pathAndQuery(), recordedStatus, status, failure);
    }

    String label() {
        return requestId + " " + method + " " + path;
    }
}
