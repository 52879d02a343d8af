package io.gatehouse.replay;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ReplayRoutesTest {
    private static final Set<String> PROVIDERS = Set.of("openai", "claude");

    @Test
    void addsTheRecordedProvidersPrefixOnlyWhereThePathWouldRouteElsewhere() {
        assertThat(routed("claude", "/v1/messages")).isEqualTo("/claude/v1/messages");
        assertThat(routed("claude", "/claude/v1/messages")).isEqualTo("/claude/v1/messages");
        assertThat(routed("claude", "/agent-workflow/wf-1/v1/messages")).isEqualTo("/agent-workflow/wf-1/claude/v1/messages");
        assertThat(routed("claude", "/agent-workflow/wf-1/claude/v1/messages")).isEqualTo("/agent-workflow/wf-1/claude/v1/messages");
        // The default provider serves unprefixed paths; an unknown provider cannot be routed to at all.
        assertThat(routed("openai", "/v1/chat/completions")).isEqualTo("/v1/chat/completions");
        assertThat(routed("elsewhere", "/v1/chat/completions")).isEqualTo("/v1/chat/completions");
        assertThat(routed(null, "/v1/chat/completions")).isEqualTo("/v1/chat/completions");
    }

    @Test
    void theUpstreamPathHasNoGatewayPrefixes() {
        assertThat(ReplayRoutes.upstreamPath(request("claude", "/agent-workflow/wf-1/claude/v1/messages"))).isEqualTo("/v1/messages");
        assertThat(ReplayRoutes.upstreamPath(request("claude", "/claude"))).isEqualTo("/");
        assertThat(ReplayRoutes.upstreamPath(request("openai", "/v1/chat/completions"))).isEqualTo("/v1/chat/completions");
    }

    @Test
    void infersTheApiTypeFromTheNameTheRouteOrTheHeaders() {
        assertThat(ReplayRoutes.inferType("Anthropic", "/v1/complete", Map.of())).isEqualTo("anthropic");
        assertThat(ReplayRoutes.inferType("claude", "/claude/v1/messages/", Map.of())).isEqualTo("anthropic");
        assertThat(ReplayRoutes.inferType("proxy", "/v1/models", Map.of("anthropic-version", "2023-06-01"))).isEqualTo("anthropic");
        assertThat(ReplayRoutes.inferType("azure", "/openai/deployments/x/chat/completions", Map.of())).isEqualTo("openai");
    }

    private static String routed(String provider, String path) {
        return ReplayRoutes.routedPath(request(provider, path), PROVIDERS, "openai");
    }

    private static RecordedRequest request(String provider, String path) {
        return new RecordedRequest("r", "POST", path, "", Map.of(), RecordedBody.EMPTY, provider, 1.0, "test:1");
    }
}
