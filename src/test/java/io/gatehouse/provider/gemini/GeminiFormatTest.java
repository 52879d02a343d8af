package io.gatehouse.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.pipeline.ErrorKind;
import io.gatehouse.pipeline.GatewayError;
import io.gatehouse.pipeline.Json;
import io.gatehouse.pipeline.Secret;
import io.gatehouse.pipeline.SseEvent;
import io.gatehouse.pipeline.SseParser;
import io.vertx.core.MultiMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class GeminiFormatTest {
    private final GeminiFormat format = GeminiFormat.INSTANCE;

    @Test
    void theKeyGoesInGooglesHeader() {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        format.applyCredential(headers, Secret.ofNullable("AIza-test"));

        assertThat(format.type()).isEqualTo("gemini");
        assertThat(headers.get("x-goog-api-key")).isEqualTo("AIza-test");
        assertThat(headers.contains("authorization")).isFalse();
        assertThat(format.credentialHeaders()).containsExactly("x-goog-api-key", "authorization");
    }

    @ParameterizedTest
    @CsvSource({
            "INVALID_REQUEST, 400, INVALID_ARGUMENT",
            "REQUEST_TOO_LARGE, 413, INVALID_ARGUMENT",
            "AUTHENTICATION, 401, UNAUTHENTICATED",
            "PERMISSION, 403, PERMISSION_DENIED",
            "NOT_FOUND, 404, NOT_FOUND",
            "RATE_LIMIT, 429, RESOURCE_EXHAUSTED",
            "BUDGET_EXCEEDED, 429, RESOURCE_EXHAUSTED",
            "INTERNAL, 500, INTERNAL",
            "UPSTREAM_BROKEN, 502, UNAVAILABLE",
            "UPSTREAM_UNREACHABLE, 502, UNAVAILABLE",
            "UPSTREAM_TIMEOUT, 504, DEADLINE_EXCEEDED"
    })
    void errorsTakeGooglesShapeAndStatusNames(ErrorKind kind, int code, String status) throws Exception {
        JsonNode body = Json.MAPPER.readTree(format.errorBody(new GatewayError(kind, "It failed", "x")).getBytes());

        assertThat(body).isEqualTo(Json.MAPPER.readTree(
                "{\"error\":{\"code\":" + code + ",\"message\":\"It failed\",\"status\":\"" + status + "\"}}"));
    }

    @Test
    void theErrorCodeIsTheErrorsOwnStatus() throws Exception {
        GatewayError unavailable = new GatewayError(ErrorKind.UPSTREAM_UNREACHABLE, 503, "Down", null);

        JsonNode body = Json.MAPPER.readTree(format.errorBody(unavailable).getBytes());

        assertThat(body.at("/error/code").asInt()).isEqualTo(503);
        assertThat(body.at("/error/status").asText()).isEqualTo("UNAVAILABLE");
    }

    @Test
    void aStreamErrorIsOneDataFrameHoldingTheErrorBody() throws Exception {
        GatewayError error = new GatewayError(ErrorKind.UPSTREAM_BROKEN, "The upstream broke off", "x");
        List<SseEvent> events = new ArrayList<>();
        SseParser parser = new SseParser(events::add);

        parser.feed(format.streamErrorEvent(error));

        assertThat(events).hasSize(1);
        assertThat(events.getFirst().event()).isNull();
        assertThat(Json.MAPPER.readTree(events.getFirst().data()))
                .isEqualTo(Json.MAPPER.readTree(format.errorBody(error).getBytes()));
    }
}
