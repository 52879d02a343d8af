package io.gatehouse.routing;

import io.gatehouse.pipeline.BodySource;
import io.gatehouse.pipeline.ErrorKind;
import io.gatehouse.pipeline.GatewayError;
import io.gatehouse.pipeline.GatewayException;
import io.gatehouse.provider.translate.Translator;
import io.vertx.core.buffer.Buffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A provider's stream as the client's API streams it, translated chunk by chunk as it arrives: nothing is held but
 * the partial frame the decoder waits on. Back-pressure and cancellation pass straight to the upstream body.
 */
final class TranslatedBody implements BodySource {
    private static final Logger LOG = LoggerFactory.getLogger(TranslatedBody.class);

    private final BodySource upstream;
    private final Translator.StreamTranslation translation;
    private final String upstreamName;

    TranslatedBody(BodySource upstream, Translator.StreamTranslation translation, String upstreamName) {
        this.upstream = upstream;
        this.translation = translation;
        this.upstreamName = upstreamName;
    }

    @Override
    public void start(BodySink sink) {
        upstream.start(new BodySink() {
            private boolean failed;

            @Override
            public void chunk(Buffer chunk) {
                if (failed) {
                    return;
                }
                try {
                    Buffer out = translation.chunk(chunk);
                    if (out.length() > 0) {
                        sink.chunk(out);
                    }
                } catch (RuntimeException e) {
                    fail(e);
                }
            }

            @Override
            public void end() {
                if (failed) {
                    return;
                }
                try {
                    Buffer out = translation.finish();
                    if (out.length() > 0) {
                        sink.chunk(out);
                    }
                    sink.end();
                } catch (RuntimeException e) {
                    fail(e);
                }
            }

            @Override
            public void error(Throwable failure) {
                if (!failed) {
                    failed = true;
                    sink.error(failure);
                }
            }

            /** The provider sent something its decoder cannot read: the client's stream ends with an error. */
            private void fail(RuntimeException cause) {
                failed = true;
                LOG.warn("Could not translate the stream of upstream '{}': {}", upstreamName, cause.toString());
                upstream.cancel();
                sink.error(new GatewayException(new GatewayError(ErrorKind.UPSTREAM_BROKEN, "Upstream '" + upstreamName
                        + "' sent a stream the gateway could not translate", "upstream_invalid_stream"), cause));
            }
        });
    }

    @Override
    public void pause() {
        upstream.pause();
    }

    @Override
    public void resume() {
        upstream.resume();
    }

    @Override
    public void cancel() {
        upstream.cancel();
    }
}
