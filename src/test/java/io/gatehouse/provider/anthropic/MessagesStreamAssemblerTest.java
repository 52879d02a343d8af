package io.gatehouse.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.pipeline.SseEvent;
import io.gatehouse.testing.GoldenTranscripts;
import io.gatehouse.testing.GoldenTranscripts.Chunking;
import io.gatehouse.testing.GoldenTranscripts.Transcript;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

class MessagesStreamAssemblerTest {
    private static final String START = "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\","
            + "\"role\":\"assistant\",\"content\":[],\"usage\":{\"input_tokens\":10,\"cache_read_input_tokens\":7,\"output_tokens\":1}}}";

    static Stream<Arguments> golden() {
        return GoldenTranscripts.cases("anthropic-messages");
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("golden")
    void assemblesGoldenTranscript(Transcript transcript, Chunking chunking) {
        GoldenTranscripts.assertAssembles(transcript, chunking, new MessagesStreamAssembler());
    }

    @Test
    void usageFieldsTheDeltaLeavesOutOrNullsAreKept() {
        MessagesStreamAssembler assembler = new MessagesStreamAssembler();
        assembler.onEvent(event("message_start", START));
        assembler.onEvent(event("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\","
                + "\"stop_sequence\":null},\"usage\":{\"input_tokens\":null,\"output_tokens\":42}}"));
        JsonNode usage = assembler.result().get("usage");
        assertThat(usage.get("input_tokens").asInt()).isEqualTo(10);
        assertThat(usage.get("cache_read_input_tokens").asInt()).isEqualTo(7);
        assertThat(usage.get("output_tokens").asInt()).isEqualTo(42);
    }

    @Test
    void toolInputWithTrailingGarbageIsKeptRawNotHalfParsed() {
        MessagesStreamAssembler assembler = new MessagesStreamAssembler();
        assembler.onEvent(event("message_start", START));
        assembler.onEvent(event("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,"
                + "\"content_block\":{\"type\":\"tool_use\",\"id\":\"t\",\"name\":\"f\",\"input\":{}}}"));
        assembler.onEvent(event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,"
                + "\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"a\\\":1}}\"}}"));
        JsonNode block = assembler.result().at("/content/0");
        assertThat(block.get("input").isEmpty()).isTrue();
        assertThat(block.get(ContentBlockAssembly.UNPARSED_INPUT_FIELD).asText()).isEqualTo("{\"a\":1}}");
    }

    @Test
    void malformedUnknownAndOrphanEventsAreSkippedWithoutThrowing() {
        MessagesStreamAssembler assembler = new MessagesStreamAssembler();
        assertThatCode(() -> {
            assembler.onEvent(event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":4,"
                    + "\"delta\":{\"type\":\"text_delta\",\"text\":\"orphan\"}}"));
            assembler.onEvent(event("message_start", START));
            assembler.onEvent(event("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,"
                    + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"));
            assembler.onEvent(event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,"
                    + "\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi\"}}"));
            assembler.onEvent(event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,"
                    + "\"delta\":{\"type\":\"hologram_delta\",\"beam\":1}}"));
            assembler.onEvent(event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":[]}"));
            assembler.onEvent(event("content_block_start", "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":null}"));
            assembler.onEvent(event("message_delta", "{\"type\":\"message_delta\",\"delta\":7,\"usage\":\"none\"}"));
            assembler.onEvent(event("hologram", "{\"type\":\"hologram\"}"));
            assembler.onEvent(event("ping", "{\"type\": \"ping\"}"));
            assembler.onEvent(event(null, "{broken"));
        }).doesNotThrowAnyException();
        JsonNode message = assembler.result();
        assertThat(message.get("content")).hasSize(1);
        assertThat(message.at("/content/0/text").asText()).isEqualTo("Hi");
        assertThat(assembler.complete()).isFalse();
    }

    @Test
    void anErrorBeforeAnythingElseGivesAnErrorAndNoResult() {
        MessagesStreamAssembler assembler = new MessagesStreamAssembler();
        assembler.onEvent(event("error", "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}"));
        assertThat(assembler.result()).isNull();
        assertThat(assembler.error().at("/error/type").asText()).isEqualTo("overloaded_error");
    }

    private static SseEvent event(String name, String data) {
        return new SseEvent(name, data, null);
    }
}
