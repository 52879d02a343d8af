package io.gatehouse.events;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.pipeline.Json;
import io.gatehouse.testing.FakeUpstream;
import io.gatehouse.testing.GatewayTestSupport;
import io.gatehouse.testing.TestGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class PrinterInterceptorTest extends GatewayTestSupport {
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Logger printerLog = (Logger) LoggerFactory.getLogger("gatehouse.printer");
    private FakeUpstream upstream;
    private TestGateway.Running gateway;

    @BeforeEach
    void start() {
        appender.start();
        printerLog.addAppender(appender);
        upstream = FakeUpstream.start(vertx);
        startGateway(TestGateway.builder().interceptorConfig("printer", Json.MAPPER.createObjectNode().put("log_body", true)));
    }

    private void startGateway(TestGateway builder) {
        if (gateway != null) {
            gateway.close();
        }
        gateway = builder.provider("openai", "openai", upstream.baseUrl(), "sk-k")
                .provider("anthropic", "anthropic", upstream.baseUrl(), "sk-a").start();
    }

    @AfterEach
    void stop() {
        printerLog.detachAppender(appender);
        gateway.close();
        upstream.close();
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("content-type", "application/json")
                .header("anthropic-version", "2023-06-01").build(), HttpResponse.BodyHandlers.ofString());
    }

    private List<String> lines() {
        return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    private void awaitLine(String fragment) {
        await().atMost(Duration.ofSeconds(5)).until(() -> lines().stream().anyMatch(line -> line.contains(fragment)));
    }

    @Test
    void printsRequestResponseUsageAndBodyForPlainCalls() throws Exception {
        post("/v1/chat/completions", "{\"model\":\"demo-gpt\",\"messages\":[{\"role\":\"system\",\"content\":\"be brief\"},{\"role\":\"user\",\"content\":\"three little words\"}]}");
        awaitLine("📥 RESPONSE 200");
        assertThat(lines()).anyMatch(line -> line.startsWith("📤 REQUEST POST /v1/chat/completions provider=openai model=demo-gpt stream=false"));
        assertThat(lines()).anyMatch(line -> line.contains("user: three little words"));
        assertThat(lines()).anyMatch(line -> line.contains("📥 RESPONSE 200") && line.contains("usage in+out=5+4=9"));
        assertThat(lines()).anyMatch(line -> line.contains("↳ Echo: three little words"));
    }

    @Test
    void readsUsageAndToolCallsOutOfStreams() throws Exception {
        post("/v1/chat/completions", "{\"model\":\"demo-gpt\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"lookup\",\"parameters\":{\"type\":\"object\",\"properties\":{\"q\":{\"type\":\"string\"}},\"required\":[\"q\"]}}}],"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"find it\"}]}");
        awaitLine("🔧 TOOL USE");
        assertThat(lines()).anyMatch(line -> line.contains("stream=true"));
        assertThat(lines()).anyMatch(line -> line.equals("🔧 TOOL USE lookup {\"q\":\"find it\"}"));

        post("/anthropic/v1/messages", "{\"model\":\"demo-claude\",\"max_tokens\":50,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hello there friend\"}]}");
        awaitLine("provider=anthropic");
        await().atMost(Duration.ofSeconds(5)).until(() -> lines().stream().filter(l -> l.contains("📥 RESPONSE 200")).count() == 2);
        assertThat(lines().stream().filter(l -> l.contains("📥 RESPONSE 200")).toList().getLast()).contains("usage in+out=3+4=7");
    }

    @Test
    void printsFailuresAsErrors() throws Exception {
        upstream.close();
        post("/v1/chat/completions", "{\"model\":\"demo-gpt\",\"messages\":[]}");
        awaitLine("❌ ERROR 502");
        upstream = FakeUpstream.start(vertx);
    }

    private static final String LOOKUP_TOOL = "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"lookup\","
            + "\"parameters\":{\"type\":\"object\",\"properties\":{\"q\":{\"type\":\"string\"}},\"required\":[\"q\"]}}}]";

    @Test
    void printsANewSessionLineOncePerSessionBeforeItsRequest() throws Exception {
        String opening = "{\"role\":\"user\",\"content\":\"hello\"}";
        HttpResponse<String> first = post("/v1/chat/completions", "{\"model\":\"demo-gpt\",\"messages\":[" + opening + "]}");
        String sessionId = first.headers().firstValue("x-gatehouse-session-id").orElseThrow();
        awaitLine("📥 RESPONSE 200");
        post("/v1/chat/completions", "{\"model\":\"demo-gpt\",\"messages\":[" + opening
                + ",{\"role\":\"assistant\",\"content\":\"Echo: hello\"},{\"role\":\"user\",\"content\":\"again\"}]}");
        await().atMost(Duration.ofSeconds(5)).until(() -> lines().stream().filter(l -> l.contains("📥 RESPONSE 200")).count() == 2);

        List<String> sessionLines = lines().stream().filter(line -> line.startsWith("🚀 NEW SESSION")).toList();
        assertThat(sessionLines).hasSize(1);
        assertThat(sessionLines.getFirst()).matches("🚀 NEW SESSION " + sessionId.substring(0, 8)
                + " provider=openai model=demo-gpt at \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        assertThat(lines().indexOf(sessionLines.getFirst())).isLessThan(
                lines().indexOf(lines().stream().filter(line -> line.startsWith("📤 REQUEST")).findFirst().orElseThrow()));
    }

    @Test
    void printsToolUsesAndToolResultsCutTo100Characters() throws Exception {
        HttpResponse<String> first = post("/v1/chat/completions", "{\"model\":\"demo-gpt\"," + LOOKUP_TOOL
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"find it\"}]}");
        awaitLine("🔧 TOOL USE lookup");
        JsonNode call = Json.MAPPER.readTree(first.body()).path("choices").path(0).path("message").path("tool_calls").path(0);
        String longResult = "r".repeat(150);
        post("/v1/chat/completions", "{\"model\":\"demo-gpt\"," + LOOKUP_TOOL + ",\"messages\":["
                + "{\"role\":\"user\",\"content\":\"find it\"}," + Json.MAPPER.readTree(first.body()).path("choices").path(0).path("message")
                + ",{\"role\":\"tool\",\"tool_call_id\":\"" + call.path("id").asText() + "\",\"content\":\"" + longResult + "\"}]}");

        awaitLine("🔧 TOOL RESULT");
        assertThat(lines()).contains("🔧 TOOL RESULT lookup success: " + "r".repeat(100) + "…");
    }

    @Test
    void printsEachLlmCallAndHowItEnded() throws Exception {
        post("/v1/chat/completions", "{\"model\":\"demo-gpt\",\"messages\":[{\"role\":\"user\",\"content\":\"three little words\"}]}");
        awaitLine("✅ LLM DONE");
        assertThat(lines()).contains("🤖 LLM CALL openai demo-gpt new_messages=1");
        assertThat(lines().indexOf("🤖 LLM CALL openai demo-gpt new_messages=1"))
                .isGreaterThan(lines().indexOf(lines().stream().filter(line -> line.startsWith("📤 REQUEST")).findFirst().orElseThrow()));
        assertThat(lines()).anyMatch(line -> line.matches("✅ LLM DONE demo-gpt reason=stop tokens=7 in \\d+ ms"));

        upstream.on("POST", "/v1/messages", FakeUpstream.respond(529, "application/json",
                "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}"));
        post("/anthropic/v1/messages", "{\"model\":\"demo-claude\",\"max_tokens\":50,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        awaitLine("❌ LLM ERROR");
        assertThat(lines()).contains("❌ LLM ERROR overloaded_error status=529: Overloaded");
    }

    @Test
    void theSessionToolAndLlmCallLinesCanEachBeTurnedOff() throws Exception {
        ObjectNode quiet = Json.MAPPER.createObjectNode().put("show_sessions", false).put("show_tools", false)
                .put("show_llm_calls", false);
        startGateway(TestGateway.builder().interceptorConfig("printer", quiet));

        post("/v1/chat/completions", "{\"model\":\"demo-gpt\"," + LOOKUP_TOOL + ",\"messages\":[{\"role\":\"user\",\"content\":\"find it\"}]}");

        awaitLine("📥 RESPONSE 200");
        assertThat(lines()).noneMatch(line -> line.startsWith("🚀") || line.startsWith("🔧") || line.startsWith("🤖")
                || line.startsWith("✅"));
    }

    @Test
    void listedBeforeTheSessionInterceptorItStillPrintsTheSessionsLines() throws Exception {
        startGateway(TestGateway.builder().interceptorConfig("printer", Json.MAPPER.createObjectNode())
                .interceptorConfig("session", Json.MAPPER.createObjectNode()));

        post("/v1/chat/completions", "{\"model\":\"demo-gpt\"," + LOOKUP_TOOL + ",\"messages\":[{\"role\":\"user\",\"content\":\"find it\"}]}");

        awaitLine("🔧 TOOL USE lookup");
        assertThat(lines()).anyMatch(line -> line.startsWith("🚀 NEW SESSION"));
        assertThat(lines()).contains("🤖 LLM CALL openai demo-gpt new_messages=1");
    }

    @Test
    void listedBeforeTheEventsInterceptorItStillPrintsTheCallsEvents() throws Exception {
        startGateway(TestGateway.builder().interceptorConfig("printer", Json.MAPPER.createObjectNode())
                .interceptorConfig("events", Json.MAPPER.createObjectNode()));

        post("/v1/chat/completions", "{\"model\":\"demo-gpt\"," + LOOKUP_TOOL + ",\"messages\":[{\"role\":\"user\",\"content\":\"find it\"}]}");

        awaitLine("🔧 TOOL USE lookup");
        assertThat(lines()).anyMatch(line -> line.startsWith("🚀 NEW SESSION"));
        assertThat(lines()).contains("🤖 LLM CALL openai demo-gpt new_messages=1");
    }
}
