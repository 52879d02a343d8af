package io.gatehouse.replay;

/**
 * A request and what became of it, paired by request id. {@code response} and {@code error} are both null for an
 * unpaired request (the recording ended while the call was in flight); both are set for a stream cut after its
 * headers.
 */
record RecordedCall(RecordedRequest request, RecordedResponse response, RecordedError error) {

    String requestId() {
        return request.requestId();
    }

    boolean isUnpaired() {
        return response == null && error == null;
    }

    /** The call ended normally: a response and no error after it. */
    boolean isComplete() {
        return response != null && error == null;
    }
}
