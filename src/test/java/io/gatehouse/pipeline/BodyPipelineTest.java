package io.gatehouse.pipeline;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class BodyPipelineTest {

    private static ProxyResponse sseResponse() {
        return ProxyResponse.of(200, MultiMap.caseInsensitiveMultiMap().set("content-type", "text/event-stream"), Buffer.buffer());
    }

    @Test
    void stagesRunInOrderAndLaterOnesSeeEarlierTransforms() {
        ProxyResponse response = sseResponse();
        List<String> seenByOuter = new ArrayList<>();
        response.transformChunks(chunk -> Buffer.buffer(chunk.toString().toUpperCase()));
        response.observeChunks(chunk -> seenByOuter.add(chunk.toString()));
        Buffer out = response.pipeline().onChunk(Buffer.buffer("data: a\n\n"));
        assertThat(out.toString()).isEqualTo("DATA: A\n\n");
        assertThat(seenByOuter).containsExactly("DATA: A\n\n");
        assertThat(response.pipeline().transforms()).isTrue();
    }

    @Test
    void consecutiveSseListenersShareOneParseAndSeeEveryEvent() {
        ProxyResponse response = sseResponse();
        List<String> first = new ArrayList<>();
        List<String> second = new ArrayList<>();
        response.observeEvents(e -> first.add(e.data()));
        response.observeEvents(e -> second.add(e.data()));
        response.pipeline().onChunk(Buffer.buffer("data: 1\n\nda"));
        response.pipeline().onChunk(Buffer.buffer("ta: 2\n\n"));
        response.pipeline().onEnd();
        assertThat(first).containsExactly("1", "2");
        assertThat(second).containsExactly("1", "2");
        assertThat(response.pipeline().transforms()).isFalse();
    }

    @Test
    void finishOutputOfATransformerPassesThroughLaterStages() {
        ProxyResponse response = sseResponse();
        List<String> events = new ArrayList<>();
        response.transformChunks(new ChunkTransformer() {
            @Override
            public Buffer transform(Buffer chunk) {
                return chunk;
            }

            @Override
            public Buffer finish() {
                return Buffer.buffer("data: appended\n\n");
            }
        });
        response.observeEvents(e -> events.add(e.data()));
        response.pipeline().onChunk(Buffer.buffer("data: original\n\n"));
        Buffer tail = response.pipeline().onEnd();
        assertThat(tail.toString()).isEqualTo("data: appended\n\n");
        assertThat(events).containsExactly("original", "appended");
    }

    @Test
    void aThrowingObserverDoesNotStopTheBody() {
        ProxyResponse response = sseResponse();
        response.observeChunks(chunk -> {
            throw new IllegalStateException("boom");
        });
        assertThat(response.pipeline().onChunk(Buffer.buffer("x")).toString()).isEqualTo("x");
    }
}
