package io.gatehouse.proxy;

import io.gatehouse.config.InterceptorConfig;
import io.gatehouse.events.EventBus;
import io.gatehouse.events.EventsInterceptor;
import io.gatehouse.events.PrinterInterceptor;
import io.gatehouse.events.SessionTraces;
import io.gatehouse.pipeline.Interceptor;
import io.gatehouse.recording.Recorders;
import io.gatehouse.pipeline.Upstream;
import io.gatehouse.provider.WireFormats;
import io.gatehouse.session.SessionConfig;
import io.gatehouse.session.SessionInterceptor;
import io.gatehouse.session.SessionTracker;
import io.gatehouse.testing.FakeUpstream;
import io.gatehouse.testing.GatewayTestSupport;
import io.gatehouse.testing.TestGateway;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** How sessions are wired into the gateway: routing of workflow paths, chain placement, turning them off. */
class SessionWiringTest extends GatewayTestSupport {
    private static final String CHAT = "{\"model\":\"demo-gpt\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    private static Upstream upstream(String name) {
        return Upstream.of(name, WireFormats.of("openai"), URI.create("http://127.0.0.1:1"), null,
                Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1), 0, false, null);
    }

    @Test
    void workflowPrefixIsRemovedBeforeProviderRouting() {
        ProviderRouter router = new ProviderRouter(List.of(upstream("openai"), upstream("claude")), "openai");
        assertThat(router.match("/agent-workflow/wf1/v1/chat/completions"))
                .isEqualTo(new ProviderRouter.Match(router.defaultUpstream(), "/v1/chat/completions", "wf1"));
        ProviderRouter.Match named = router.match("/agent-workflow/wf-2/claude/v1/messages");
        assertThat(named.upstream().name()).isEqualTo("claude");
        assertThat(named.path()).isEqualTo("/v1/messages");
        assertThat(named.workflowId()).isEqualTo("wf-2");
        assertThat(router.match("/agent-workflow/wf3")).extracting(ProviderRouter.Match::path, ProviderRouter.Match::workflowId)
                .containsExactly("/", "wf3");
        assertThat(router.match("/agent-workflow//v1/models")).extracting(ProviderRouter.Match::path, ProviderRouter.Match::workflowId)
                .containsExactly("/agent-workflow//v1/models", null);
        assertThat(router.match("/claude/v1/messages").workflowId()).isNull();
    }

    @Test
    void theSessionAndEventsInterceptorsComeFirstUnlessListedOrDisabled() {
        SessionTracker tracker = new SessionTracker(SessionConfig.defaults());
        EventBus bus = new EventBus();
        InterceptorRegistry.Shared shared = new InterceptorRegistry.Shared(tracker, new SessionTraces(bus),
                new Recorders(new SimpleMeterRegistry(), bus, "default"));
        InterceptorConfig printer = new InterceptorConfig("printer", true, null);
        InterceptorConfig session = new InterceptorConfig("session", true, null);
        List<Interceptor> automatic = InterceptorRegistry.create(List.of(printer), SessionConfig.defaults(), shared);
        assertThat(automatic).hasExactlyElementsOfTypes(SessionInterceptor.class, EventsInterceptor.class, PrinterInterceptor.class);
        List<Interceptor> listed = InterceptorRegistry.create(List.of(printer, session), SessionConfig.defaults(), shared);
        assertThat(listed).hasExactlyElementsOfTypes(PrinterInterceptor.class, SessionInterceptor.class, EventsInterceptor.class);
        InterceptorConfig events = new InterceptorConfig("events", true, null);
        List<Interceptor> eventsListed = InterceptorRegistry.create(List.of(events, printer), SessionConfig.defaults(), shared);
        assertThat(eventsListed).hasExactlyElementsOfTypes(SessionInterceptor.class, EventsInterceptor.class, PrinterInterceptor.class);
        SessionConfig off = new SessionConfig(false, null, null, null, null, null, null);
        assertThat(InterceptorRegistry.create(List.of(printer), off, shared)).hasExactlyElementsOfTypes(PrinterInterceptor.class);
    }

    @Test
    void withSessionsDisabledNoSessionHeadersAreAdded() throws Exception {
        try (FakeUpstream upstream = FakeUpstream.start(vertx);
             TestGateway.Running gateway = TestGateway.builder()
                     .provider("openai", "openai", upstream.baseUrl(), "sk-gateway-key-0001")
                     .session(new SessionConfig(false, null, null, null, null, null, null))
                     .start()) {
            HttpResponse<String> response = postJson(gateway.baseUrl() + "/v1/chat/completions", CHAT,
                    Map.of("x-gatehouse-session-id", "s1"));
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("x-gatehouse-session-id")).isEmpty();
            assertThat(response.headers().firstValue("x-gatehouse-agent-id")).isEmpty();
            assertThat(upstream.takeRequest().headers().contains("x-gatehouse-session-id")).isFalse();
        }
    }
}
