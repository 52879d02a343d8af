package io.gatehouse.provider.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.pipeline.ErrorKind;
import io.gatehouse.pipeline.GatewayError;
import io.gatehouse.pipeline.GatewayException;
import io.gatehouse.provider.translate.Part;
import io.gatehouse.provider.translate.StopReason;
import io.gatehouse.provider.translate.UnifiedResponse;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static io.gatehouse.provider.bedrock.ConverseRequestEncoderTest.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Converse responses and errors read into the unified shape, against golden files. */
class ConverseResponseDecoderTest {
    private static final BedrockOutboundCodec CODEC = new BedrockOutboundCodec();

    @ParameterizedTest
    @ValueSource(strings = {"response-text", "response-tool-use", "response-reasoning", "response-guardrail"})
    void decodesGoldenResponse(String name) {
        UnifiedResponse response = CODEC.decodeResponse(Golden.json(name + ".json"));

        Golden.assertJsonEquals(UnifiedJson.response(response), Golden.json(name + ".unified.json"));
    }

    @Test
    void theIdIsTheSameForTheSameBodyAndDiffersOtherwise() {
        JsonNode body = Golden.json("response-text.json");
        JsonNode other = Golden.json("response-guardrail.json");

        assertThat(CODEC.decodeResponse(body).id()).isEqualTo(CODEC.decodeResponse(body.deepCopy()).id())
                .isNotEqualTo(CODEC.decodeResponse(other).id());
    }

    @ParameterizedTest
    @CsvSource({"end_turn,END_TURN", "tool_use,TOOL_USE", "max_tokens,MAX_TOKENS", "stop_sequence,STOP_SEQUENCE",
            "guardrail_intervened,CONTENT_FILTER", "content_filtered,CONTENT_FILTER",
            "model_context_window_exceeded,MAX_TOKENS", "malformed_model_output,END_TURN"})
    void mapsEveryStopReason(String converse, StopReason unified) {
        JsonNode body = json("{\"output\":{\"message\":{\"role\":\"assistant\",\"content\":[{\"text\":\"x\"}]}},"
                + "\"stopReason\":\"" + converse + "\"}");

        UnifiedResponse response = CODEC.decodeResponse(body);

        assertThat(response.stopReason()).isEqualTo(unified);
        assertThat(response.usage()).isNull();
    }

    @Test
    void contentBlocksWithNoUnifiedCounterpartAreKeptWhole() {
        JsonNode body = json("{\"output\":{\"message\":{\"role\":\"assistant\",\"content\":[{\"citationsContent\":"
                + "{\"content\":[{\"text\":\"x\"}],\"citations\":[]}}]}},\"stopReason\":\"end_turn\"}");

        Part part = CODEC.decodeResponse(body).content().getFirst();

        assertThat(part).isEqualTo(new Part.Opaque("citationsContent", body.at("/output/message/content/0")));
    }

    @Test
    void aMalformedResponseIsTheUpstreamsFault() {
        for (String body : new String[]{"[]", "{\"output\":{}}", "{\"output\":{\"message\":{\"content\":[7]}}}",
                "{\"output\":{\"message\":{\"content\":[{\"toolUse\":{\"name\":\"f\"}}]}}}",
                "{\"output\":{\"message\":{\"content\":[]}},\"usage\":{\"inputTokens\":\"many\"}}"}) {
            GatewayException error = catchThrowableOfType(GatewayException.class,
                    () -> CODEC.decodeResponse(json(body)));
            assertThat(error).as(body).isNotNull();
            assertThat(error.error().kind()).isEqualTo(ErrorKind.UPSTREAM_BROKEN);
            assertThat(error.error().status()).isEqualTo(502);
        }
    }

    @Test
    void aValidationErrorIsTheClientsWithBedrocksMessage() {
        GatewayError error = CODEC.decodeError(400, Buffer.buffer(Golden.bytes("error-validation.json")));

        assertThat(error.kind()).isEqualTo(ErrorKind.INVALID_REQUEST);
        assertThat(error.status()).isEqualTo(400);
        assertThat(error.message()).startsWith("Malformed input request: #: extraneous key [foo]");
    }

    @Test
    void theErrorTypeHeaderNamesTheError() {
        GatewayError error = CODEC.decodeError(429,
                "ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/",
                Buffer.buffer("{\"message\":\"Too many requests, please wait before trying again.\"}"));

        assertThat(error).isEqualTo(new GatewayError(ErrorKind.RATE_LIMIT, 429,
                "Too many requests, please wait before trying again.", "ThrottlingException"));
    }

    @Test
    void aTypeInTheBodyNamesTheErrorAndTheStatusIsKept() {
        GatewayError error = CODEC.decodeError(403, Buffer.buffer(Golden.bytes("error-unrecognized-client.json")));

        assertThat(error).isEqualTo(new GatewayError(ErrorKind.AUTHENTICATION, 403,
                "The security token included in the request is invalid.", "UnrecognizedClientException"));
    }

    @ParameterizedTest
    @CsvSource({"403,PERMISSION", "404,NOT_FOUND", "408,UPSTREAM_TIMEOUT", "424,UPSTREAM_BROKEN",
            "429,RATE_LIMIT", "500,UPSTREAM_BROKEN", "503,UPSTREAM_UNREACHABLE"})
    void withoutATypeTheStatusDecides(int status, ErrorKind kind) {
        GatewayError error = CODEC.decodeError(status, Buffer.buffer("{\"message\":\"m\"}"));

        assertThat(error.kind()).isEqualTo(kind);
        assertThat(error.status()).isEqualTo(status);
        assertThat(error.message()).isEqualTo("m");
    }

    @Test
    void aBodyThatIsNotJsonStillGivesAnError() {
        GatewayError error = CODEC.decodeError(503, Buffer.buffer("<html>Service Unavailable</html>"));

        assertThat(error.kind()).isEqualTo(ErrorKind.UPSTREAM_UNREACHABLE);
        assertThat(error.status()).isEqualTo(503);
        assertThat(error.message()).isEqualTo("Bedrock answered with status 503");
    }
}
