package io.gatehouse.provider.openai;

import io.gatehouse.testing.GoldenTranscripts;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.pipeline.SseEvent;
import io.gatehouse.testing.GoldenTranscripts.Chunking;
import io.gatehouse.testing.GoldenTranscripts.Transcript;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

class ChatCompletionStreamAssemblerTest {

    static Stream<Arguments> golden() {
        return GoldenTranscripts.cases("openai-chat");
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("golden")
    void assemblesGoldenTranscript(Transcript transcript, Chunking chunking) {
        GoldenTranscripts.assertAssembles(transcript, chunking, new ChatCompletionStreamAssembler());
    }

    @Test
    void nothingUsableMeansNoResult() {
        ChatCompletionStreamAssembler assembler = new ChatCompletionStreamAssembler();
        assembler.onEvent(data("keep-alive"));
        assembler.onEvent(data("[DONE]"));
        assertThat(assembler.result()).isNull();
        assertThat(assembler.error()).isNull();
        assertThat(assembler.complete()).isTrue();
    }

    @Test
    void malformedAndMistypedDataIsSkippedWithoutThrowing() {
        ChatCompletionStreamAssembler assembler = new ChatCompletionStreamAssembler();
        assertThatCode(() -> {
            for (String data : new String[]{"{\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"}}]}",
                    "{not json", "[1,2]", "\"text\"", "null", "", "{\"choices\":\"nope\"}",
                    "{\"choices\":[7,null,{\"index\":\"x\",\"delta\":5,\"logprobs\":[1]}]}",
                    "{\"choices\":[{\"index\":0,\"delta\":{\"content\":{\"odd\":true},\"tool_calls\":[3,{\"function\":7}]}}]}",
                    "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"b\"},\"finish_reason\":\"stop\"}]}"}) {
                assembler.onEvent(data(data));
            }
        }).doesNotThrowAnyException();
        JsonNode message = assembler.result().at("/choices/0/message");
        assertThat(message.get("content").asText()).isEqualTo("ab");
        assertThat(assembler.result().at("/choices/0/finish_reason").asText()).isEqualTo("stop");
    }

    @Test
    void toolCallsWithoutIndexFromCompatibleServersStillMerge() {
        ChatCompletionStreamAssembler assembler = new ChatCompletionStreamAssembler();
        assembler.onEvent(data(chunk("{\"tool_calls\":[{\"id\":\"a\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{\\\"x\\\"\"}}]}")));
        assembler.onEvent(data(chunk("{\"tool_calls\":[{\"function\":{\"arguments\":\":1}\"}}]}")));
        assembler.onEvent(data(chunk("{\"tool_calls\":[{\"id\":\"b\",\"type\":\"function\",\"function\":{\"name\":\"g\",\"arguments\":\"{}\"}}]}")));
        JsonNode calls = assembler.result().at("/choices/0/message/tool_calls");
        assertThat(calls).hasSize(2);
        assertThat(calls.at("/0/function/arguments").asText()).isEqualTo("{\"x\":1}");
        assertThat(calls.at("/1/function/name").asText()).isEqualTo("g");
        assertThat(calls.get(0).has("index")).isFalse();
    }

    @Test
    void reasoningContentOfCompatibleServersIsJoinedLikeContent() {
        ChatCompletionStreamAssembler assembler = new ChatCompletionStreamAssembler();
        assembler.onEvent(data(chunk("{\"role\":\"assistant\",\"content\":null,\"reasoning_content\":\"Think\"}")));
        assembler.onEvent(data(chunk("{\"content\":null,\"reasoning_content\":\"ing.\"}")));
        assembler.onEvent(data(chunk("{\"content\":\"Done.\",\"reasoning_content\":null}")));
        JsonNode message = assembler.result().at("/choices/0/message");
        assertThat(message.get("reasoning_content").asText()).isEqualTo("Thinking.");
        assertThat(message.get("content").asText()).isEqualTo("Done.");
    }

    @Test
    void resultIsAFreshTreeEachTime() {
        ChatCompletionStreamAssembler assembler = new ChatCompletionStreamAssembler();
        assembler.onEvent(data(chunk("{\"content\":\"hi\"}")));
        ((ObjectNode) assembler.result()).removeAll();
        assertThat(assembler.result().at("/choices/0/message/content").asText()).isEqualTo("hi");
    }

    /**
     * Text chunks are read without a tree; an {@code "error":null} field, which means nothing to the assembler,
     * sends the same chunk down the tree's way. Both must assemble the same, also for the odd cases.
     */
    @Test
    void textChunksAssembleAsTheTreeWould() {
        List<String> stream = List.of(
                "{\"id\":\"\",\"created\":0,\"model\":\"\",\"choices\":[]}",
                "{\"id\":\"real\",\"created\":7,\"model\":\"m\",\"service_tier\":\"default\",\"choices\":[{\"index\":0,"
                        + "\"delta\":{\"content\":\"He\"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}",
                chunk("{\"role\":\"assistant\",\"content\":\"\"}"),
                chunk("{\"content\":\"llo\",\"reasoning_content\":null}"),
                chunk("{\"content\":\" lost\",\"content\":null}"),
                chunk("{\"index\":3,\"content\":\" \\\"world\\\"\\n\"}"),
                "{\"id\":\"other\",\"service_tier\":\"flex\",\"system_fingerprint\":\"fp\",\"choices\":[{\"index\":0,"
                        + "\"delta\":{\"refusal\":\"no\"},\"finish_reason\":\"\"}]}",
                "{\"choices\":[{\"index\":1,\"delta\":{\"content\":\"second\"},\"finish_reason\":\"length\"}]}",
                "{\"choices\":[{\"delta\":{\"content\":\"!\"},\"extra\":{\"a\":[1]}}],\"object\":{\"nested\":[]}}",
                chunk("{\"content\":\"tail\"}") + " trailing",
                "{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}",
                "{\"choices\":[],\"usage\":{\"prompt_tokens\":2,\"completion_tokens\":3,\"total_tokens\":5}}");
        ChatCompletionStreamAssembler direct = new ChatCompletionStreamAssembler();
        ChatCompletionStreamAssembler viaTree = new ChatCompletionStreamAssembler();
        for (String data : stream) {
            direct.onEvent(data(data));
            int end = data.lastIndexOf('}');
            viaTree.onEvent(data(data.substring(0, end) + ",\"error\":null" + data.substring(end)));
        }
        assertThat(direct.result()).isEqualTo(viaTree.result());
        assertThat(direct.result().at("/choices/0/message/content").asText()).isEqualTo("Hello \"world\"\n!tail");
        assertThat(direct.result().path("service_tier").asText()).isEqualTo("flex");
        assertThat(direct.result().path("id").asText()).isEqualTo("real");
    }

    private static String chunk(String delta) {
        return "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
                + "\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":null}]}";
    }

    private static SseEvent data(String data) {
        return new SseEvent(null, data, null);
    }
}
