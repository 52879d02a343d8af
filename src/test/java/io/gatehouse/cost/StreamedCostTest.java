package io.gatehouse.cost;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.pipeline.CallEnd;
import io.gatehouse.pipeline.Chain;
import io.gatehouse.pipeline.Interceptor;
import io.gatehouse.pipeline.Json;
import io.gatehouse.pipeline.ProxyResponse;
import io.gatehouse.testing.FakeUpstream;
import io.gatehouse.testing.GatewayTestSupport;
import io.gatehouse.testing.TestGateway;
import io.vertx.core.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The golden transcripts (real provider answers, plain and as the stream the provider sent): a streamed call is
 * billed exactly like the same call unstreamed, in every API, with the usage the provider reported, or, where it
 * reported none, with the same count.
 */
class StreamedCostTest extends GatewayTestSupport {
    private FakeUpstream upstream;
    private TestGateway.Running gateway;
    private final List<CallCost> costs = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        upstream = FakeUpstream.start(vertx);
        gateway = TestGateway.builder()
                .provider("openai", "openai", upstream.baseUrl(), "sk-test-openai-0123456789abcdef")
                .provider("anthropic", "anthropic", upstream.baseUrl(), "sk-ant-test-0123456789abcdef")
                .defaultProvider("openai")
                .interceptor(new Interceptor() {
                    @Override
                    public String name() {
                        return "cost-reader";
                    }

                    @Override
                    public Future<ProxyResponse> intercept(Chain chain) {
                        return chain.proceed(chain.request());
                    }

                    @Override
                    public void onCallEnd(CallEnd end) {
                        CallCost cost = end.call().attribute(CostInterceptor.COST);
                        if (cost != null) {
                            costs.add(cost);
                        }
                    }
                })
                .start();
    }

    @AfterEach
    void stop() {
        gateway.close();
        upstream.close();
    }

    @ParameterizedTest(name = "{0}/{1}")
    @CsvSource({
            "openai-chat, usage-cached-and-reasoning-tokens, true",
            "openai-chat, parallel-tool-calls, true",
            "openai-chat, two-choices, true",
            "openai-chat, plain-text, false",
            "openai-chat, refusal, false",
            "openai-responses, text-and-function-call-completed, true",
            "anthropic-messages, cached-usage-merge, true",
            "anthropic-messages, thinking-text-tool-use, true",
            "anthropic-messages, web-search-citations, true"})
    void aStreamedCallCostsWhatTheSameCallUnstreamedCosts(String api, String name, boolean reportsUsage) throws Exception {
        JsonNode plainBody = Json.MAPPER.readTree(golden(api, name + ".json"));
        String route = switch (api) {
            case "openai-chat" -> "/v1/chat/completions";
            case "openai-responses" -> "/v1/responses";
            default -> "/v1/messages";
        };
        String path = api.startsWith("anthropic") ? "/anthropic" + route : route;
        String request = "{\"model\":\"" + plainBody.path("model").asText() + "\",\"max_tokens\":100,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hello world\"}]}";

        upstream.on("POST", route, FakeUpstream.respond(200, "application/json", plainBody.toString()));
        postJson(gateway.baseUrl() + path, request, Map.of("anthropic-version", "2023-06-01"));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(costs).hasSize(1));

        upstream.on("POST", route, FakeUpstream.sse(Arrays.asList(golden(api, name + ".sse").split("(?<=\n\n)")), 0));
        postJson(gateway.baseUrl() + path, request, Map.of("anthropic-version", "2023-06-01"));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(costs).hasSize(2));

        CallCost plain = costs.get(0);
        CallCost streamed = costs.get(1);
        assertThat(streamed.usage()).isEqualTo(plain.usage());
        assertThat(streamed.model()).isEqualTo(plain.model()).isEqualTo(plainBody.path("model").asText());
        assertThat(streamed.costUsd()).isEqualTo(plain.costUsd());
        assertThat(plain.usage().estimated()).isEqualTo(!reportsUsage);
        if (reportsUsage) {
            Endpoint endpoint = Endpoint.of(api.startsWith("anthropic") ? "anthropic" : "openai", route);
            assertThat(plain.usage()).isEqualTo(ReportedUsage.of(endpoint, plainBody));
        } else {
            assertThat(plain.usage().outputTokens()).isPositive();
        }
        assertThat(plain.priced()).isTrue();
    }

    private static String golden(String api, String file) throws IOException {
        try (InputStream in = StreamedCostTest.class.getClassLoader().getResourceAsStream("golden/" + api + "/" + file)) {
            assertThat(in).as("golden/%s/%s", api, file).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
