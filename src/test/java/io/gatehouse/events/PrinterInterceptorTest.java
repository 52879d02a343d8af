package io.gatehouse.events;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
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
        ObjectNode config = Json.MAPPER.createObjectNode().put("log_body", true);
        gateway = TestGateway.builder().provider("openai", "openai", upstream.baseUrl(), "sk-k")
                .provider("anthropic", "anthropic", upstream.baseUrl(), "sk-a")
                .interceptorConfig("printer", config).start();
    }

    @AfterEach
    void stop() {
        printerLog.detachAppender(appender);
        gateway.close();
        upstream.close();
    }

    private void post(String path, String body) throws Exception {
        HTTP.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path))
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
        assertThat(lines()).anyMatch(line -> line.equals("🔧 TOOL USE lookup"));

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
}
