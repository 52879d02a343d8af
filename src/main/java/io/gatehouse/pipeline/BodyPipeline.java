package io.gatehouse.pipeline;

import io.vertx.core.buffer.Buffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * The ordered observers and transformers that interceptors put on a response body. Stages run in the
 * order they were added, each seeing what the one before it produced; an interceptor nearer the
 * upstream adds its stages first, so an outer interceptor sees the body as the inner ones left it.
 * Consecutive SSE listeners share one parser, so a stream is parsed once however many watch it.
 * A stage that throws is logged and skipped for that chunk: one faulty observer must not cut a stream.
 */
public final class BodyPipeline {
    private static final Logger LOG = LoggerFactory.getLogger(BodyPipeline.class);

    private final List<Stage> stages = new ArrayList<>(2);
    private boolean transforms;

    void addObserver(ChunkObserver observer) {
        stages.add(new Stage() {
            @Override
            public Buffer onChunk(Buffer chunk) {
                observer.onChunk(chunk);
                return chunk;
            }
        });
    }

    void addTransformer(ChunkTransformer transformer) {
        transforms = true;
        stages.add(new Stage() {
            @Override
            public Buffer onChunk(Buffer chunk) {
                return transformer.transform(chunk);
            }

            @Override
            public Buffer onEnd() {
                return transformer.finish();
            }
        });
    }

    void addSseListener(SseListener listener) {
        if (!stages.isEmpty() && stages.get(stages.size() - 1) instanceof SseStage last) {
            last.listeners.add(listener);
        } else {
            stages.add(new SseStage(listener));
        }
    }

    public boolean isEmpty() {
        return stages.isEmpty();
    }

    /** True when some stage may change the bytes, so the upstream's Content-Length no longer holds. */
    public boolean transforms() {
        return transforms;
    }

    /** Runs one chunk through every stage and returns what goes to the client. */
    public Buffer onChunk(Buffer chunk) {
        Buffer current = chunk;
        for (Stage stage : stages) {
            try {
                Buffer next = stage.onChunk(current);
                current = next == null ? Buffer.buffer() : next;
            } catch (RuntimeException e) {
                LOG.warn("A response body stage failed and was skipped for this chunk: {}", e.toString());
            }
        }
        return current;
    }

    /** Ends every stage; returns the bytes the stages still had to send (possibly empty). */
    public Buffer onEnd() {
        Buffer tail = Buffer.buffer();
        for (Stage stage : stages) {
            try {
                Buffer carried = tail.length() == 0 ? tail : stage.onChunk(tail);
                Buffer own = stage.onEnd();
                tail = carried == null ? Buffer.buffer() : carried;
                if (own != null && own.length() > 0) {
                    tail = tail.length() == 0 ? own : tail.copy().appendBuffer(own);
                }
            } catch (RuntimeException e) {
                LOG.warn("A response body stage failed at the end of the body: {}", e.toString());
            }
        }
        return tail;
    }

    private interface Stage {
        Buffer onChunk(Buffer chunk);

        default Buffer onEnd() {
            return null;
        }
    }

    private static final class SseStage implements Stage {
        private final List<SseListener> listeners = new ArrayList<>(2);
        private final SseParser parser = new SseParser(this::dispatch);

        SseStage(SseListener first) {
            listeners.add(first);
        }

        private void dispatch(SseEvent event) {
            for (SseListener listener : listeners) {
                try {
                    listener.onEvent(event);
                } catch (RuntimeException e) {
                    LOG.warn("An SSE listener failed and was skipped for this event: {}", e.toString());
                }
            }
        }

        @Override
        public Buffer onChunk(Buffer chunk) {
            parser.feed(chunk);
            return chunk;
        }

        @Override
        public Buffer onEnd() {
            parser.finish();
            return null;
        }
    }
}
