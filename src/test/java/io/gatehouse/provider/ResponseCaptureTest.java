package io.gatehouse.provider;

import io.gatehouse.pipeline.Call;
import io.gatehouse.pipeline.ProxyResponse;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

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
    void aPlainBodysUsageIsReadAloneAndOnlyFromAWholeObject() {
        String answer = "{\"id\":\"x\",\"choices\":[{\"message\":{\"content\":\"{\\\"usage\\\":1}\"}}],"
                + "\"model\":\"gpt-4o\",\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2}}";
        ResponseCapture capture = capture(answer);
        assertThat(capture.plainBodyUsage()).hasToString("{\"model\":\"gpt-4o\",\"usage\":{\"prompt_tokens\":3,"
                + "\"completion_tokens\":2}}");
        assertThat(capture.body().path("id").asText()).as("the whole body is still there for others").isEqualTo("x");
        assertThat(capture.plainBodyUsage()).as("once parsed, the parsed body").isSameAs(capture.body());

        assertThat(capture(answer.substring(0, answer.length() - 1)).plainBodyUsage()).as("cut short").isNull();
        assertThat(capture(answer + "{}").plainBodyUsage()).as("more after the object").isNull();
        assertThat(capture("[1]").plainBodyUsage()).isNull();
        assertThat(capture("").plainBodyUsage()).isNull();
    }

    private static ResponseCapture capture(String body) {
        ProxyResponse response = plain();
        ResponseCapture capture = ResponseCapture.watch(new Call("c1", System.nanoTime()), response, "openai",
                "/v1/chat/completions");
        pass(response, body);
        return capture;
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

    @Test
    void aFinishedChatStreamGivesItsUsageChunkWithoutBeingAssembled() {
        String chunks = "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,"
                + "\"delta\":{\"content\":\"Hi\"},\"finish_reason\":\"stop\"}],\"usage\":null}\n\n"
                + "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-4o-2024-08-06\",\"choices\":[],"
                + "\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":1,\"total_tokens\":10}}\n\n";
        ProxyResponse finished = stream();
        ResponseCapture capture = ResponseCapture.watch(new Call("c1", 0), finished, "openai", "/v1/chat/completions");
        pass(finished, chunks + "data: [DONE]\n\n");

        assertThat(capture.completedStreamUsageChunk().path("model").asText()).isEqualTo("gpt-4o-2024-08-06");
        assertThat(capture.completedStreamUsageChunk().at("/usage/total_tokens").asInt()).isEqualTo(10);
        // Whoever needs more still gets the whole stream assembled, the held events first.
        assertThat(capture.body().at("/choices/0/message/content").asText()).isEqualTo("Hi");
        assertThat(capture.body().at("/usage/prompt_tokens").asInt()).isEqualTo(9);

        ProxyResponse cut = stream();
        ResponseCapture cutCapture = ResponseCapture.watch(new Call("c2", 0), cut, "openai", "/v1/chat/completions");
        pass(cut, chunks);
        assertThat(cutCapture.completedStreamUsageChunk()).as("no [DONE]: not known to be whole").isNull();

        ProxyResponse watchedWhole = stream();
        ResponseCapture whole = ResponseCapture.watch(new Call("c3", 0), watchedWhole, "openai", "/v1/chat/completions");
        whole.assembler();
        pass(watchedWhole, chunks + "data: [DONE]\n\n");
        assertThat(whole.completedStreamUsageChunk()).as("assembled as it passed: the body has it all").isNull();
        assertThat(whole.body().at("/usage/total_tokens").asInt()).isEqualTo(10);
    }

    @Test
    void aStreamStillOpenPastItsHoldTimeIsAssembledAsItPasses() {
        AtomicLong now = new AtomicLong();
        ProxyResponse slow = stream();
        ResponseCapture capture = ResponseCapture.watch(new Call("c1", 0), slow, "openai", "/v1/chat/completions", now::get);
        slow.pipeline().onChunk(Buffer.buffer(chunk("Hi", null)));
        now.addAndGet(ResponseCapture.HOLD_NANOS + 1);
        slow.pipeline().onChunk(Buffer.buffer(chunk(" there", "stop") + USAGE_CHUNK + "data: [DONE]\n\n"));
        slow.pipeline().onEnd();

        assertThat(capture.completedStreamUsageChunk()).as("no longer held: assembled as it passed").isNull();
        assertThat(capture.body().at("/choices/0/message/content").asText()).isEqualTo("Hi there");
        assertThat(capture.body().at("/usage/total_tokens").asInt()).as("the same usage, from the assembled body").isEqualTo(10);
        assertThat(capture.assembler().complete()).isTrue();
    }

    @Test
    void aStreamLongerThanTheHeldCharactersIsAssembledAsItPasses() {
        ProxyResponse chatty = stream();
        ResponseCapture capture = ResponseCapture.watch(new Call("c1", 0), chatty, "openai", "/v1/chat/completions", () -> 0);
        String word = chunk("word ", null);
        int words = 2 * ResponseCapture.MAX_HELD_CHARS / word.length();
        for (int i = 0; i < words; i++) {
            chatty.pipeline().onChunk(Buffer.buffer(word));
        }
        chatty.pipeline().onChunk(Buffer.buffer(USAGE_CHUNK + "data: [DONE]\n\n"));
        chatty.pipeline().onEnd();

        assertThat(capture.completedStreamUsageChunk()).isNull();
        assertThat(capture.body().at("/choices/0/message/content").asText()).isEqualTo("word ".repeat(words));
        assertThat(capture.body().at("/usage/total_tokens").asInt()).isEqualTo(10);
    }

    private static final String USAGE_CHUNK = "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-4o\","
            + "\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":1,\"total_tokens\":10}}\n\n";

    private static String chunk(String content, String finishReason) {
        return "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,"
                + "\"delta\":{\"content\":\"" + content + "\"},\"finish_reason\":"
                + (finishReason == null ? "null" : "\"" + finishReason + "\"") + "}],\"usage\":null}\n\n";
    }

    private static ProxyResponse stream() {
        return ProxyResponse.of(200, MultiMap.caseInsensitiveMultiMap().set("content-type", "text/event-stream"), Buffer.buffer());
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
