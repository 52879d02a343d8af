package io.gatehouse.limit;

import io.gatehouse.config.LimitsConfig;
import io.gatehouse.testing.FakeUpstream;
import io.gatehouse.testing.GatewayTestSupport;
import io.gatehouse.testing.TestGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static io.gatehouse.limit.LimitConfigs.limits;
import static io.gatehouse.limit.LimitConfigs.requests;
import static org.assertj.core.api.Assertions.assertThat;

/** Two gateway instances sharing the real Redis count every call against one counter. */
class LimitsAcrossInstancesTest extends GatewayTestSupport {
    private final SharedRedis redis = new SharedRedis();
    /** Mid-minute and in the future: all calls land in one window, which Redis has not expired yet. */
    private final MovableClock clock = new MovableClock(Instant.parse("2031-03-10T10:15:20Z"));
    private FakeUpstream upstream;
    private final List<TestGateway.Running> gateways = new ArrayList<>();

    @AfterEach
    void stop() {
        gateways.forEach(TestGateway.Running::close);
        if (upstream != null) {
            upstream.close();
        }
        redis.close();
    }

    private TestGateway.Running gateway(LimitsConfig limits) {
        TestGateway.Running gateway = TestGateway.builder()
                .provider("openai", "openai", upstream.baseUrl(), "sk-gateway")
                .redisUrl(SharedRedis.URL)
                .limits(limits)
                .clock(clock)
                .start();
        gateways.add(gateway);
        return gateway;
    }

    @Test
    void aHundredPerMinuteLetsExactlyAHundredThroughAcrossBothInstances() {
        upstream = FakeUpstream.start(vertx);
        LimitsConfig limits = limits("redis", redis.prefix, false, Map.of(), requests("per-minute", 100, "minute"));
        TestGateway.Running first = gateway(limits);
        TestGateway.Running second = gateway(limits);
        String body = "{\"model\":\"demo-gpt\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}";

        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            String base = (i % 2 == 0 ? first : second).baseUrl();
            calls.add(HTTP.sendAsync(HttpRequest.newBuilder(URI.create(base + "/v1/chat/completions"))
                    .header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()));
        }
        List<HttpResponse<String>> responses = calls.stream().map(CompletableFuture::join).toList();

        assertThat(responses).filteredOn(r -> r.statusCode() == 200).hasSize(100);
        List<HttpResponse<String>> refused = responses.stream().filter(r -> r.statusCode() == 429).toList();
        assertThat(refused).hasSize(50);
        assertThat(upstream.requests()).hasSize(100);
        HttpResponse<String> one = refused.get(0);
        assertThat(one.body()).contains("\"code\":\"rate_limit_exceeded\"")
                .contains("constraint 'per-minute' allows 100 requests per minute");
        assertThat(one.headers().firstValue("retry-after")).hasValue("40");
        assertThat(one.headers().firstValue("x-ratelimit-limit")).hasValue("100");
        assertThat(one.headers().firstValue("x-ratelimit-remaining")).hasValue("0");
        assertThat(one.headers().firstValue("x-ratelimit-reset")).hasValue("40");
        assertThat(redis.valueOfKeyContaining("per-minute:requests:minute")).isEqualTo(100);
    }
}
