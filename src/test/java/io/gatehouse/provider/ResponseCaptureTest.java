package io.gatehouse.provider;

import io.gatehouse.pipeline.Call;
import io.gatehouse.pipeline.ProxyResponse;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ResponseCaptureTest {
    private static final String BODY = "{\"model\":\"gpt-4o\",\"usage\":{\"prompt_tokens\":3}}";

    @Test
    void readersOfOneResponseShareOneCapture() {
        Call call = new Call("c1", System.nanoTime());
        ProxyResponse response = plain();
        ResponseCapture first = ResponseCapture.watch(call, response, "openai", "/v1/chat/completions");
        ResponseCapture second = ResponseCapture.watch(call, response, "openai", "/v1/chat/completions");
        assertThat(second).isSameAs(first);

        pass(response, BODY);
        assertThat(first.body().path("usage").path("prompt_tokens").asInt()).isEqualTo(3);
        assertThat(second.body()).as("parsed once").isSameAs(first.body());
    }

    @Test
    void aTransformerInBetweenGivesTheLaterReaderItsOwnView() {
        Call call = new Call("c1", System.nanoTime());
        ProxyResponse response = plain();
        ResponseCapture inner = ResponseCapture.watch(call, response, "openai", "/v1/chat/completions");
        response.transformChunks(chunk -> Buffer.buffer(chunk.toString().replace("gpt-4o", "redacted")));
        ResponseCapture outer = ResponseCapture.watch(call, response, "openai", "/v1/chat/completions");
        assertThat(outer).isNotSameAs(inner);

        pass(response, BODY);
        assertThat(inner.body().path("model").asText()).isEqualTo("gpt-4o");
        assertThat(outer.body().path("model").asText()).isEqualTo("redacted");
    }

    @Test
    void anotherResponseOfTheSameCallIsCapturedAfresh() {
        Call call = new Call("c1", System.nanoTime());
        ResponseCapture firstAttempt = ResponseCapture.watch(call, plain(), "openai", "/v1/chat/completions");
        assertThat(ResponseCapture.watch(call, plain(), "openai", "/v1/chat/completions")).isNotSameAs(firstAttempt);
    }

    @Test
    void aStreamIsAssembledAndAnOversizedOrForeignBodyIsUnknown() {
        Call call = new Call("c1", System.nanoTime());
        ProxyResponse stream = ProxyResponse.of(200, MultiMap.caseInsensitiveMultiMap().set("content-type", "text/event-stream"),
                Buffer.buffer());
        ResponseCapture streamed = ResponseCapture.watch(call, stream, "openai", "/v1/chat/completions");
        pass(stream, "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,"
                + "\"delta\":{\"content\":\"Hi\"},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n");
        assertThat(streamed.assembler().complete()).isTrue();
        assertThat(streamed.body().at("/choices/0/message/content").asText()).isEqualTo("Hi");

        ProxyResponse large = plain();
        ResponseCapture oversized = ResponseCapture.watch(new Call("c2", 0), large, "openai", "/v1/chat/completions");
        pass(large, "{\"pad\":\"" + "x".repeat(ResponseCapture.MAX_KEPT_BODY_BYTES) + "\"}");
        assertThat(oversized.body()).isNull();

        ProxyResponse html = plain();
        ResponseCapture notJson = ResponseCapture.watch(new Call("c3", 0), html, "openai", "/v1/chat/completions");
        pass(html, "<html>bad gateway</html>");
        assertThat(notJson.body()).isNull();
    }

    private static ProxyResponse plain() {
        return ProxyResponse.json(200, Buffer.buffer());
    }

    /** What the exchange does with a body: every chunk through the pipeline, then its end. */
    private static void pass(ProxyResponse response, String body) {
        response.pipeline().onChunk(Buffer.buffer(body));
        response.pipeline().onEnd();
    }
}
