package io.gatehouse.resilience;

import io.gatehouse.pipeline.BodySource;
import io.vertx.core.buffer.Buffer;

/**
 * An upstream body that gives back what its call held (a bulkhead place, a deployment's in-flight count) once it
 * has ended, failed or been cancelled, whichever comes first, so a stream holds them until its last byte.
 * Event-loop only, like the body it wraps.
 */
final class ReleasingBody implements BodySource {
    private final BodySource body;
    private Runnable release;

    ReleasingBody(BodySource body, Runnable release) {
        this.body = body;
        this.release = release;
    }

    @Override
    public void start(BodySink sink) {
        body.start(new BodySink() {
            @Override
            public void chunk(Buffer chunk) {
                sink.chunk(chunk);
            }

            @Override
            public void end() {
                release();
                sink.end();
            }

            @Override
            public void error(Throwable failure) {
                release();
                sink.error(failure);
            }
        });
    }

    @Override
    public void pause() {
        body.pause();
    }

    @Override
    public void resume() {
        body.resume();
    }

    @Override
    public void cancel() {
        body.cancel();
        release();
    }

    private void release() {
        Runnable once = release;
        release = null;
        if (once != null) {
            once.run();
        }
    }
}
