package io.gatehouse.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.provider.translate.Message;
import io.gatehouse.provider.translate.Part;
import io.gatehouse.provider.translate.Role;
import io.gatehouse.provider.translate.UnifiedResponse;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.gatehouse.provider.gemini.RequestBuilder.request;
import static io.gatehouse.provider.gemini.RequestBuilder.text;
import static io.gatehouse.provider.gemini.RequestBuilder.user;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Gemini answer, held by a client as unified content and sent back in the next turn, must give Gemini its
 * signatures back on the parts that carried them.
 */
class ThoughtSignatureRoundTripTest {
    private final GeminiOutboundCodec codec = new GeminiOutboundCodec();

    @Test
    void functionCallSignaturesReturnToTheirCalls() {
        JsonNode answer = GeminiGoldens.json("response/function-calls.json");

        assertThat(sentBack(answer)).isEqualTo(answer.at("/candidates/0/content/parts"));
    }

    @Test
    void aTextSignatureReturnsToItsTextAndThoughtsGoBackAsThoughts() {
        JsonNode answer = GeminiGoldens.json("response/thoughts-and-cached-usage.json");

        assertThat(sentBack(answer)).isEqualTo(answer.at("/candidates/0/content/parts"));
    }

    /** The model turn the client's next request holds, once the answer went through the unified shape. */
    private JsonNode sentBack(JsonNode answer) {
        UnifiedResponse response = codec.decodeResponse(answer);
        List<Message> history = new ArrayList<>();
        history.add(user(text("question")));
        history.add(new Message(Role.ASSISTANT, response.content()));
        List<Part> results = new ArrayList<>();
        for (Part part : response.content()) {
            if (part instanceof Part.ToolCall call) {
                results.add(new Part.ToolResult(call.id(), List.of(text("ok")), false));
            }
        }
        history.add(results.isEmpty() ? user(text("next")) : new Message(Role.USER, results));
        JsonNode body = codec.encodeRequest(request().messages(history.toArray(Message[]::new)).build()).body();
        return body.at("/contents/1/parts");
    }
}
