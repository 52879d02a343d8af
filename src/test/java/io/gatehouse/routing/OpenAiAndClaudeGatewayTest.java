package io.gatehouse.routing;

import io.gatehouse.testing.FakeUpstream;
import io.gatehouse.testing.GatewayTestSupport;
import io.gatehouse.testing.TestGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A gateway in front of two fakes, each test's own: {@code openai} (the default provider) and {@code claude}. */
abstract class OpenAiAndClaudeGatewayTest extends GatewayTestSupport {
    protected FakeUpstream openaiUpstream;
    protected FakeUpstream claudeUpstream;
    protected TestGateway.Running gateway;

    @BeforeEach
    void startGateway() {
        openaiUpstream = FakeUpstream.start(vertx);
        claudeUpstream = FakeUpstream.start(vertx);
        gateway = TestGateway.builder()
                .provider("openai", "openai", openaiUpstream.baseUrl(), "sk-openai-0123456789")
                .provider("claude", "anthropic", claudeUpstream.baseUrl(), "sk-ant-0123456789")
                .start();
    }

    @AfterEach
    void stopGateway() {
        gateway.close();
        openaiUpstream.close();
        claudeUpstream.close();
    }
}
