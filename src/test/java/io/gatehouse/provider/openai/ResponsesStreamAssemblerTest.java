package io.gatehouse.provider.openai;

import io.gatehouse.testing.GoldenTranscripts;
import io.gatehouse.pipeline.SseEvent;
import io.gatehouse.testing.GoldenTranscripts.Chunking;
import io.gatehouse.testing.GoldenTranscripts.Transcript;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

class ResponsesStreamAssemblerTest {

    static Stream<Arguments> golden() {
        return GoldenTranscripts.cases("openai-responses");
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("golden")
    void assemblesGoldenTranscript(Transcript transcript, Chunking chunking) {
        GoldenTranscripts.assertAssembles(transcript, chunking, new ResponsesStreamAssembler());
    }

    @Test
    void malformedUnknownAndOrphanEventsAreSkippedWithoutThrowing() {
        ResponsesStreamAssembler assembler = new ResponsesStreamAssembler();
        assertThatCode(() -> {
            assembler.onEvent(event("response.created", "{\"type\":\"response.created\",\"response\":{\"id\":\"r1\",\"output\":[]}}"));
            assembler.onEvent(event("response.output_text.delta", "{\"type\":\"response.output_text.delta\",\"output_index\":3,\"delta\":\"orphan\"}"));
            assembler.onEvent(event("response.output_item.added", "{\"type\":\"response.output_item.added\",\"output_index\":0,\"item\":\"not an object\"}"));
            assembler.onEvent(event("response.output_item.added", "{\"type\":\"response.output_item.added\",\"output_index\":0,\"item\":{\"type\":\"message\",\"content\":[]}}"));
            assembler.onEvent(event("response.output_text.delta", "{\"type\":\"response.output_text.delta\",\"output_index\":0,\"content_index\":0,\"delta\":\"Hi\"}"));
            assembler.onEvent(event("response.function_call_arguments.delta", "{\"type\":\"response.function_call_arguments.delta\"}"));
            assembler.onEvent(event("response.brand_new_event", "{\"type\":\"response.brand_new_event\",\"output_index\":0}"));
            assembler.onEvent(event(null, "{broken"));
            assembler.onEvent(event(null, "[]"));
        }).doesNotThrowAnyException();
        assertThat(assembler.result().at("/output/0/content/0/text").asText()).isEqualTo("Hi");
        assertThat(assembler.result().at("/output/0/content/0/annotations").isArray()).isTrue();
        assertThat(assembler.complete()).isFalse();
    }

    @Test
    void customToolInputStreamsLikeFunctionArgumentsAndItsDoneEventWins() {
        ResponsesStreamAssembler assembler = new ResponsesStreamAssembler();
        assembler.onEvent(event("response.output_item.added", "{\"type\":\"response.output_item.added\",\"output_index\":0,"
                + "\"item\":{\"type\":\"custom_tool_call\",\"call_id\":\"c1\",\"name\":\"sql\",\"input\":\"\"}}"));
        assembler.onEvent(event("response.custom_tool_call_input.delta",
                "{\"type\":\"response.custom_tool_call_input.delta\",\"output_index\":0,\"delta\":\"SELECT \"}"));
        assembler.onEvent(event("response.custom_tool_call_input.delta",
                "{\"type\":\"response.custom_tool_call_input.delta\",\"output_index\":0,\"delta\":\"1\"}"));
        assertThat(assembler.result().at("/output/0/input").asText()).isEqualTo("SELECT 1");
        assembler.onEvent(event("response.custom_tool_call_input.done",
                "{\"type\":\"response.custom_tool_call_input.done\",\"output_index\":0,\"input\":\"SELECT 1;\"}"));
        assertThat(assembler.result().at("/output/0/input").asText()).isEqualTo("SELECT 1;");
    }

    @Test
    void nothingUsableMeansNoResult() {
        ResponsesStreamAssembler assembler = new ResponsesStreamAssembler();
        assembler.onEvent(event("error", "{\"type\":\"error\",\"code\":\"rate_limit_exceeded\",\"message\":\"Slow down\",\"param\":null}"));
        assertThat(assembler.result()).isNull();
        assertThat(assembler.error().at("/error/code").asText()).isEqualTo("rate_limit_exceeded");
    }

    private static SseEvent event(String name, String data) {
        return new SseEvent(name, data, null);
    }
}
