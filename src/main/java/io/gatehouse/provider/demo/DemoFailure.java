package io.gatehouse.provider.demo;

/** The ways the demo upstream turns a request down; each dialect words them in its own error shape. */
enum DemoFailure {
    INVALID_REQUEST(400),
    AUTHENTICATION(401),
    NOT_FOUND(404),
    INTERNAL(500);

    final int status;

    DemoFailure(int status) {
        this.status = status;
    }
}
