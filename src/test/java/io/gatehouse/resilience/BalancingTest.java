package io.gatehouse.resilience;

import io.gatehouse.logging.SecretRedactor;
import io.gatehouse.pipeline.Chain;
import io.gatehouse.pipeline.Interceptor;
import io.gatehouse.pipeline.ProxyResponse;
import io.gatehouse.pipeline.Secret;
import io.gatehouse.testing.FakeUpstream;
import io.gatehouse.testing.TestGateway;
import io.vertx.core.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Several keys or deployments per provider: weighted and least-latency balancing, and open breakers skipped. */
class BalancingTest extends ResilienceTestSupport {
    private static final String PATH = "/v1/chat/completions";
    private FakeUpstream fast;
    private FakeUpstream slow;

    @BeforeEach
    void startUpstreams() {
        fast = FakeUpstream.start(vertx);
        slow = FakeUpstream.start(vertx);
        fast.on("POST", PATH, FakeUpstream.respond(200, "application/json", CHAT_ANSWER));
        slow.on("POST", PATH, FakeUpstream.delayHeaders(100, FakeUpstream.respond(200, "application/json", CHAT_ANSWER)));
    }

    @AfterEach
    void stopUpstreams() {
        fast.close();
        slow.close();
    }

    @Test
    void weightedBalancingSplitsCallsByWeightAndNamesDeploymentsWithoutTheirKeys() throws Exception {
        String providers = """
                - name: openai
                  type: openai
                  base_url: %s
                  deployments:
                    - {api_key: deploy-three-parts-aaaa, weight: 3}
                    - {api_key: deploy-one-part-bbbb, weight: 1}
                """.formatted(fast.baseUrl());
        Map<String, Integer> byLabel = new HashMap<>();
        try (TestGateway.Running gateway = gateway(providers)) {
            for (int i = 0; i < 1000; i++) {
                HttpResponse<String> response = chat(gateway, "");
                assertThat(response.statusCode()).isEqualTo(200);
                byLabel.merge(response.headers().firstValue("x-gatehouse-upstream").orElseThrow(), 1, Integer::sum);
            }
            String config = getUrl(gateway.baseUrl() + "/config").body();
            assertThat(config).contains("****aaaa", "****bbbb").doesNotContain("deploy-three-parts", "deploy-one-part");
            assertThat(SecretRedactor.redact("key deploy-one-part-bbbb")).isEqualTo("key ****bbbb");
        }
        Map<String, Long> byKey = new HashMap<>();
        fast.requests().forEach(request -> byKey.merge(request.header("authorization"), 1L, Long::sum));
        // 750 expected; the binomial's standard deviation is 13.7, so ±60 fails only when the weights are not honoured.
        assertThat(byKey.get("Bearer deploy-three-parts-aaaa")).isBetween(690L, 810L);
        assertThat(byKey.get("Bearer deploy-three-parts-aaaa") + byKey.get("Bearer deploy-one-part-bbbb")).isEqualTo(1000);
        assertThat(byLabel).containsOnlyKeys("openai/0", "openai/1");
        assertThat(byLabel.get("openai/0").longValue()).isEqualTo(byKey.get("Bearer deploy-three-parts-aaaa"));
    }

    @Test
    void leastLatencyPrefersTheFastDeployment() throws Exception {
        String providers = """
                - name: openai
                  type: openai
                  base_url: %s
                  balancing: least_latency
                  deployments:
                    - {base_url: %s}
                    - {}
                """.formatted(fast.baseUrl(), slow.baseUrl());
        try (TestGateway.Running gateway = gateway(providers)) {
            for (int i = 0; i < 30; i++) {
                assertThat(chat(gateway, "").statusCode()).isEqualTo(200);
            }
        }
        assertThat(fast.requests().size()).isGreaterThanOrEqualTo(25);
        assertThat(fast.requests().size() + slow.requests().size()).isEqualTo(30);
    }

    @Test
    void aDeploymentWhoseBreakerIsOpenIsSkipped() throws Exception {
        slow.on("POST", PATH, FakeUpstream.respond(500, "application/json", OVERLOADED));
        String providers = """
                - name: openai
                  type: openai
                  base_url: %s
                  circuit_breaker: {failure_threshold: 2, cool_down_ms: 60000}
                  deployments:
                    - {}
                    - {base_url: %s}
                """.formatted(fast.baseUrl(), slow.baseUrl());
        int failures = 0;
        try (TestGateway.Running gateway = gateway(providers)) {
            for (int i = 0; i < 40; i++) {
                if (chat(gateway, "").statusCode() == 500) {
                    failures++;
                }
            }
            assertThat(lines(metrics(gateway), "gatehouse_circuit_state{upstream=\"openai/1\"}"))
                    .containsExactly("gatehouse_circuit_state{upstream=\"openai/1\"} 1.0");
        }
        assertThat(slow.requests()).hasSize(2);
        assertThat(failures).isEqualTo(2);
        assertThat(fast.requests()).hasSize(38);
    }

    @Test
    void aKeyAnInterceptorChoseForTheCallGoesToEveryDeployment() throws Exception {
        Secret projectKey = Secret.ofNullable("project-key-0000-cccc");
        Interceptor projectKeys = new Interceptor() {
            @Override
            public String name() {
                return "project-keys";
            }

            @Override
            public Future<ProxyResponse> intercept(Chain chain) {
                return chain.proceed(chain.request().toBuilder()
                        .upstream(chain.request().upstream().withApiKey(projectKey)).build());
            }
        };
        String providers = """
                - name: openai
                  type: openai
                  base_url: %s
                  deployments:
                    - {api_key: deploy-key-aaaa}
                    - {base_url: %s, api_key: deploy-key-bbbb}
                """.formatted(fast.baseUrl(), slow.baseUrl());
        try (TestGateway.Running gateway = gateway(providers, projectKeys)) {
            for (int i = 0; i < 20; i++) {
                assertThat(chat(gateway, "").statusCode()).isEqualTo(200);
            }
        }
        assertThat(fast.requests()).isNotEmpty();
        assertThat(slow.requests()).isNotEmpty();
        assertThat(fast.requests().size() + slow.requests().size()).isEqualTo(20);
        Stream.concat(fast.requests().stream(), slow.requests().stream()).forEach(request ->
                assertThat(request.header("authorization")).isEqualTo("Bearer project-key-0000-cccc"));
    }
}
