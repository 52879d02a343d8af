package io.gatehouse.pipeline;

import io.vertx.core.buffer.Buffer;

/**
 * Where a response body comes from: the upstream's stream, or bytes an interceptor made. Delivers
 * chunks to a sink with back-pressure; once started it ends with exactly one of end or error.
 */
public interface BodySource {

    void start(BodySink sink);

    void pause();

    void resume();

    /** Stops delivery and lets go of the upstream at once (its connection is reset, not drained). */
    void cancel();

    /** A body that is already whole. */
    static FixedBody of(Buffer body) {
        return new FixedBody(body);
    }

    /** A body an interceptor made: whole from the start, so it is sent in one piece. */
    record FixedBody(Buffer body) implements BodySource {
        @Override
        public void start(BodySink sink) {
            if (body.length() > 0) {
                sink.chunk(body);
            }
            sink.end();
        }

        @Override
        public void pause() {
        }

        @Override
        public void resume() {
        }

        @Override
        public void cancel() {
        }
    }

    interface BodySink {
        void chunk(Buffer chunk);

        void end();

        void error(Throwable failure);
    }
}
