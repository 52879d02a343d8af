package io.gatehouse.routing;

import com.openai.core.ObjectMappers;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.helpers.ResponseAccumulator;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseStatus;
import com.openai.models.responses.ResponseStreamEvent;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.gatehouse.routing.FakeProviders.assertSentInTheApiOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The OpenAI SDK's Responses API asking for an Anthropic model: bridged onto Anthropic Messages, answered as a
 * Response the SDK reads whole or event by event, and refused, in OpenAI's error shape, where a bridge cannot serve
 * it (a {@code previous_response_id} names state only OpenAI keeps).
 */
class ResponsesApiBridgedToAnthropicTest extends OpenAiSdkOnFakeProvidersSupport {
    @Test
    void plainResponse() {
        Response response = openai.responses().create(ResponseCreateParams.builder().model("anthropic:demo-claude")
                .instructions("Be brief").input("Hello there").build());

        assertThat(response.status()).contains(ResponseStatus.COMPLETED);
        assertThat(response.output()).hasSize(1);
        assertThat(response.output().getFirst().asMessage().content().getFirst().asOutputText().text())
                .isEqualTo("Echo: Hello there");
        assertThat(response.usage().orElseThrow().inputTokens()).isEqualTo(4);
        assertThat(response.usage().orElseThrow().outputTokens()).isEqualTo(3);
        var sent = providers.anthropic.takeRequest();
        assertSentInTheApiOf("anthropic", sent);
        assertThat(sent.bodyAsJson().getJsonArray("system").getJsonObject(0).getString("text")).isEqualTo("Be brief");
        assertThat(providers.openai.requests()).isEmpty();
    }

    @Test
    void streamedResponseIsEveryEventTheSdkKnowsInOrder() {
        ResponseAccumulator accumulator = ResponseAccumulator.create();
        List<ResponseStreamEvent> events = new ArrayList<>();
        try (StreamResponse<ResponseStreamEvent> stream = openai.responses().createStreaming(ResponseCreateParams
                .builder().model("anthropic:demo-claude").input("stream me please").build())) {
            stream.stream().forEach(event -> {
                events.add(event.validate());
                accumulator.accumulate(event);
            });
        }

        assertThat(events.getFirst().isCreated()).isTrue();
        assertThat(events.getLast().isCompleted()).isTrue();
        assertThat(events).filteredOn(ResponseStreamEvent::isOutputTextDelta).hasSizeGreaterThan(1);
        String deltas = events.stream().flatMap(event -> event.outputTextDelta().stream())
                .map(delta -> delta.delta()).reduce("", String::concat);
        assertThat(deltas).isEqualTo("Echo: stream me please");
        assertThat(events).extracting(ResponsesApiBridgedToAnthropicTest::sequenceNumber)
                .isSorted().doesNotHaveDuplicates();
        Response response = accumulator.response();
        assertThat(response.output().getFirst().asMessage().content().getFirst().asOutputText().text())
                .isEqualTo("Echo: stream me please");
        assertThat(response.usage().orElseThrow().inputTokens()).isEqualTo(3);
        assertThat(response.usage().orElseThrow().outputTokens()).isEqualTo(4);
        assertThat(providers.anthropic.takeRequest().bodyAsJson().getBoolean("stream")).isTrue();
    }

    @Test
    void previousResponseIdIsRefusedInOpenAisShapeAndNothingIsSent() {
        assertThatThrownBy(() -> openai.responses().create(ResponseCreateParams.builder().model("anthropic:demo-claude")
                .previousResponseId("resp_68a1f0c2d4e88190a7b3c9d2e1f00a1b").input("And in Tokyo?").build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.getMessage()).contains("previous_response_id");
                    assertThat(e.code()).contains("unsupported_feature");
                    assertThat(e.type()).contains("invalid_request_error");
                });
        assertThat(providers.anthropic.takeRequest(Duration.ofMillis(200))).isNull();
    }

    /** Each variant has its own accessor; the event as the SDK writes it back has the number under one name. */
    private static long sequenceNumber(ResponseStreamEvent event) {
        return ObjectMappers.jsonMapper().valueToTree(event).path("sequence_number").asLong(-1);
    }
}
