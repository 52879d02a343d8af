package io.gatehouse.routing;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.config.ProviderConfig;
import io.gatehouse.pipeline.Json;
import io.gatehouse.testing.FakeUpstream;
import io.gatehouse.testing.TestGateway;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A provider's errors reach a client of another API with the provider's status, in the client's error shape, and with
 * the headers that tell it when to come back; a stream that breaks ends with an error event the client can read.
 */
class TranslatedErrorsTest extends OpenAiAndClaudeGatewayTest {
    private static final List<String> ANTHROPIC_STREAM_START = List.of(
            "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\","
                    + "\"role\":\"assistant\",\"model\":\"demo-claude\",\"content\":[],\"stop_reason\":null,"
                    + "\"stop_sequence\":null,\"usage\":{\"input_tokens\":5,\"output_tokens\":1}}}\n\n",
            "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,"
                    + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n",
            "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
                    + "\"delta\":{\"type\":\"text_delta\",\"text\":\"Half an ans\"}}\n\n");
    private static final String OPENAI_STREAM_START =
            "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"demo-gpt\","
                    + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Half an ans\"},"
                    + "\"finish_reason\":null}]}\n\n";

    @Test
    void anthropicOverloadedReachesAnOpenAiClientAs529InItsShape() throws Exception {
        claudeUpstream.on("POST", "/v1/messages", FakeUpstream.respond(529, "application/json",
                "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}"));

        HttpResponse<String> response = postJson(gateway.baseUrl() + "/v1/chat/completions",
                RoutingRequests.chat("claude:demo-claude", "Hi"), Map.of());

        assertThat(response.statusCode()).isEqualTo(529);
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        JsonNode error = Json.MAPPER.readTree(response.body()).path("error");
        assertThat(error.path("message").asText()).contains("Overloaded");
        assertThat(error.has("type")).isTrue();
    }

    @Test
    void anthropicRateLimitKeepsRetryAfterForAnOpenAiClient() throws Exception {
        claudeUpstream.on("POST", "/v1/messages", FakeUpstream.respond(429, "application/json",
                "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"Number of requests has exceeded your rate limit\"}}",
                Map.of("retry-after", "7")));

        HttpResponse<String> response = postJson(gateway.baseUrl() + "/v1/chat/completions",
                RoutingRequests.chat("claude:demo-claude", "Hi"), Map.of());

        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(response.headers().firstValue("retry-after")).contains("7");
        JsonNode error = Json.MAPPER.readTree(response.body()).path("error");
        assertThat(error.path("type").asText()).isEqualTo("rate_limit_error");
        assertThat(error.path("message").asText()).contains("exceeded your rate limit");
    }

    @Test
    void openAiRateLimitReachesAnAnthropicClientInItsShape() throws Exception {
        openaiUpstream.on("POST", "/v1/chat/completions", FakeUpstream.respond(429, "application/json",
                "{\"error\":{\"message\":\"Rate limit reached for gpt-4o\",\"type\":\"requests\",\"param\":null,\"code\":\"rate_limit_exceeded\"}}",
                Map.of("retry-after", "2")));

        HttpResponse<String> response = postJson(gateway.baseUrl() + "/v1/messages",
                RoutingRequests.messages("openai:demo-gpt", "Hi"), RoutingRequests.ANTHROPIC_HEADERS);

        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(response.headers().firstValue("retry-after")).contains("2");
        JsonNode body = Json.MAPPER.readTree(response.body());
        assertThat(body.path("type").asText()).isEqualTo("error");
        assertThat(body.at("/error/type").asText()).isEqualTo("rate_limit_error");
        assertThat(body.at("/error/message").asText()).contains("Rate limit reached for gpt-4o");
    }

    @Test
    void anAnthropicStreamCutMidwayEndsTheOpenAiStreamWithAnErrorEvent() throws Exception {
        claudeUpstream.on("POST", "/v1/messages", FakeUpstream.sseThenCut(ANTHROPIC_STREAM_START, 5));

        String stream = streamed("/v1/chat/completions",
                RoutingRequests.json(RoutingRequests.chatObject("claude:demo-claude", "Hi").put("stream", true)), Map.of());

        List<String> events = dataLines(stream);
        assertThat(events).anySatisfy(data -> assertThat(data).contains("Half an ans"));
        JsonNode last = Json.MAPPER.readTree(events.getLast());
        assertThat(last.at("/error/code").asText()).isEqualTo("upstream_broken");
        assertThat(last.at("/error/message").asText()).as("names the provider that broke off").contains("'claude'");
        assertThat(stream).doesNotContain("[DONE]");
    }

    @Test
    void aStalledStreamTimesOutOnTheIdleTimeoutOfTheProviderItWasRoutedTo() throws Exception {
        FakeUpstream slowUpstream = FakeUpstream.start(vertx);
        // Sends the start of an answer, then nothing, without ending the response.
        slowUpstream.on("POST", "/v1/messages", request -> request.response().setChunked(true)
                .putHeader("content-type", "text/event-stream").write(String.join("", ANTHROPIC_STREAM_START)));
        try (TestGateway.Running routed = TestGateway.builder()
                .provider("openai", "openai", openaiUpstream.baseUrl(), "sk-openai-0123456789")
                .provider(new ProviderConfig("slow", "anthropic", slowUpstream.baseUrl(), "sk-ant-0123456789", null, null,
                        0.3, null))
                .start()) {
            // Bounded here, as the request's own timeout covers only the wait for headers.
            HttpResponse<String> response = HTTP.sendAsync(HttpRequest.newBuilder(URI.create(routed.baseUrl()
                                    + "/v1/chat/completions"))
                            .POST(HttpRequest.BodyPublishers.ofString(RoutingRequests.json(
                                    RoutingRequests.chatObject("slow:demo-claude", "Hi").put("stream", true))))
                            .header("content-type", "application/json").build(), HttpResponse.BodyHandlers.ofString())
                    .get(20, TimeUnit.SECONDS);

            JsonNode last = Json.MAPPER.readTree(dataLines(response.body()).getLast());
            assertThat(last.at("/error/code").asText()).isEqualTo("upstream_idle_timeout");
            assertThat(last.at("/error/message").asText()).contains("'slow'");
        } finally {
            slowUpstream.close();
        }
    }

    @Test
    void anOpenAiStreamCutMidwayEndsTheAnthropicStreamWithAnErrorEvent() throws Exception {
        openaiUpstream.on("POST", "/v1/chat/completions", FakeUpstream.sseThenCut(List.of(OPENAI_STREAM_START), 5));

        String stream = streamed("/v1/messages",
                RoutingRequests.json(RoutingRequests.messagesObject("openai:demo-gpt", "Hi").put("stream", true)),
                RoutingRequests.ANTHROPIC_HEADERS);

        assertThat(stream).contains("event: message_start").contains("Half an ans").doesNotContain("message_stop");
        assertThat(stream.strip()).endsWith("}");
        String lastEvent = stream.strip().substring(stream.strip().lastIndexOf("event: "));
        assertThat(lastEvent).startsWith("event: error\n");
        JsonNode error = Json.MAPPER.readTree(lastEvent.substring(lastEvent.indexOf("data: ") + 6));
        assertThat(error.path("type").asText()).isEqualTo("error");
        assertThat(error.at("/error/type").asText()).isEqualTo("api_error");
    }

    @Test
    void anErrorEventInsideAnAnthropicStreamReachesTheOpenAiClientInItsShape() throws Exception {
        List<String> events = new ArrayList<>(ANTHROPIC_STREAM_START);
        events.add("event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n");
        claudeUpstream.on("POST", "/v1/messages", FakeUpstream.sse(events, 0));

        String stream = streamed("/v1/chat/completions",
                RoutingRequests.json(RoutingRequests.chatObject("claude:demo-claude", "Hi").put("stream", true)), Map.of());

        JsonNode last = Json.MAPPER.readTree(dataLines(stream).getLast());
        assertThat(last.at("/error/message").asText()).contains("Overloaded");
    }

    /** The whole body of a streamed call, which must be a 200 event stream. */
    private String streamed(String path, String body, Map<String, String> headers) throws Exception {
        HttpResponse<String> response = postJson(gateway.baseUrl() + path, body, headers);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("text/event-stream"));
        return response.body();
    }

    /** The payloads of an OpenAI stream's {@code data:} lines, in order. */
    private static List<String> dataLines(String stream) {
        return stream.lines().filter(line -> line.startsWith("data: ")).map(line -> line.substring(6)).toList();
    }
}
