package io.gatehouse.provider.gemini;

import io.gatehouse.pipeline.ErrorKind;
import io.gatehouse.pipeline.GatewayError;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import static io.gatehouse.provider.gemini.GeminiGoldens.bytes;
import static org.assertj.core.api.Assertions.assertThat;

class GeminiErrorsTest {
    @Test
    void anInvalidArgumentKeepsGooglesStatusAndMessage() {
        GatewayError error = GeminiErrors.fromBody(400, Buffer.buffer(bytes("error/invalid-argument.json")));

        assertThat(error).isEqualTo(new GatewayError(ErrorKind.INVALID_REQUEST, 400,
                "* GenerateContentRequest.contents[1].parts[0].function_response.name: Name cannot be empty.\n",
                "INVALID_ARGUMENT"));
    }

    @Test
    void quotaExhaustionIsARateLimit() {
        GatewayError error = GeminiErrors.fromBody(429, Buffer.buffer(bytes("error/resource-exhausted.json")));

        assertThat(error.kind()).isEqualTo(ErrorKind.RATE_LIMIT);
        assertThat(error.status()).isEqualTo(429);
        assertThat(error.code()).isEqualTo("RESOURCE_EXHAUSTED");
        assertThat(error.message()).startsWith("You exceeded your current quota");
    }

    @Test
    void aBadKeyIsAnAuthenticationErrorThatKeepsGooglesStatus() {
        GatewayError error = GeminiErrors.fromBody(400, Buffer.buffer(bytes("error/api-key-invalid.json")));

        assertThat(error.kind()).isEqualTo(ErrorKind.AUTHENTICATION);
        assertThat(error.status()).isEqualTo(400);
        assertThat(error.message()).isEqualTo("API key not valid. Please pass a valid API key.");
    }

    @Test
    void anOverloadedModelIsUnavailable() {
        GatewayError error = GeminiErrors.fromBody(503, Buffer.buffer(
                "{\"error\":{\"code\":503,\"message\":\"The model is overloaded. Please try again later.\","
                        + "\"status\":\"UNAVAILABLE\"}}"));

        assertThat(error).isEqualTo(new GatewayError(ErrorKind.UPSTREAM_UNREACHABLE, 503,
                "The model is overloaded. Please try again later.", "UNAVAILABLE"));
    }

    @Test
    void theStreamingEndpointsArrayOfOneErrorIsRead() {
        GatewayError error = GeminiErrors.fromBody(404, Buffer.buffer(
                "[{\"error\":{\"code\":404,\"message\":\"models/gemini-9 is not found\",\"status\":\"NOT_FOUND\"}}]"));

        assertThat(error).isEqualTo(new GatewayError(ErrorKind.NOT_FOUND, 404, "models/gemini-9 is not found",
                "NOT_FOUND"));
    }

    @Test
    void aBodyThatIsNotJsonKeepsTheStatusAndSaysWhatCame() {
        GatewayError error = GeminiErrors.fromBody(502, Buffer.buffer("<html><body>Bad Gateway</body></html>"));

        assertThat(error.kind()).isEqualTo(ErrorKind.UPSTREAM_UNREACHABLE);
        assertThat(error.status()).isEqualTo(502);
        assertThat(error.message()).isEqualTo("Gemini answered HTTP 502: <html><body>Bad Gateway</body></html>");
    }

    @Test
    void anEmptyOrOddBodyStillGivesAnError() {
        assertThat(GeminiErrors.fromBody(500, Buffer.buffer()).message()).isEqualTo("Gemini answered HTTP 500 with no body");
        assertThat(GeminiErrors.fromBody(500, null).kind()).isEqualTo(ErrorKind.INTERNAL);
        assertThat(GeminiErrors.fromBody(401, Buffer.buffer("{\"error\":\"nope\"}")).kind())
                .isEqualTo(ErrorKind.AUTHENTICATION);
        assertThat(GeminiErrors.fromBody(403, Buffer.buffer("{\"error\":{\"code\":\"x\"}}")))
                .isEqualTo(new GatewayError(ErrorKind.PERMISSION, 403, "Gemini reported an error (HTTP 403)", null));
        assertThat(GeminiErrors.fromBody(400, Buffer.buffer("{broken")).message())
                .isEqualTo("Gemini answered HTTP 400: {broken");
    }

    @Test
    void theCodecReadsErrorBodiesThisWay() {
        GatewayError error = new GeminiOutboundCodec().decodeError(429,
                Buffer.buffer(bytes("error/resource-exhausted.json")));

        assertThat(error).isEqualTo(GeminiErrors.fromBody(429, Buffer.buffer(bytes("error/resource-exhausted.json"))));
    }

    @Test
    void aLongNonJsonBodyIsShortened() {
        GatewayError error = GeminiErrors.fromBody(500, Buffer.buffer("x".repeat(5000)));

        assertThat(error.message()).hasSizeLessThan(400).endsWith("…");
    }
}
