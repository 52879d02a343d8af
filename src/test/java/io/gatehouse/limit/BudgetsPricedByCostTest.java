package io.gatehouse.limit;

import io.gatehouse.config.LimitsConfig;
import io.gatehouse.cost.CostConfig;
import io.gatehouse.testing.FakeUpstream;
import io.gatehouse.testing.GatewayTestSupport;
import io.gatehouse.testing.TestGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.Map;

import static io.gatehouse.limit.LimitConfigs.budget;
import static io.gatehouse.limit.LimitConfigs.limits;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * With cost accounting on, a budget reserves and spends by the gateway's price table, the same prices /usage
 * reports; limits.prices still wins for the models it names. gpt-4o-mini costs 0.60 USD per million output tokens
 * in the table, against the 10.00 of the limits' default, so the two disagree by a factor the tests can see.
 */
class BudgetsPricedByCostTest extends GatewayTestSupport {
    /** 100 output tokens: about 0.00006 USD at gpt-4o-mini's price, 0.001 USD at the default price. */
    private static final String CALL = "{\"model\":\"gpt-4o-mini\",\"max_tokens\":100,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

    private FakeUpstream upstream;
    private TestGateway.Running gateway;

    @AfterEach
    void stop() {
        gateway.close();
        upstream.close();
    }

    private void start(LimitsConfig limits, CostConfig cost) {
        upstream = FakeUpstream.start(vertx);
        TestGateway builder = TestGateway.builder().provider("openai", "openai", upstream.baseUrl(), "sk-gateway").limits(limits);
        gateway = (cost == null ? builder : builder.cost(cost)).start();
    }

    private int status() throws Exception {
        HttpResponse<String> response = postJson(gateway.baseUrl() + "/v1/chat/completions", CALL, Map.of());
        return response.statusCode();
    }

    @Test
    void aBudgetReservesByThePriceTable() throws Exception {
        start(limits("memory", "t:", false, Map.of(), budget("daily", 0.0002, "day")), null);

        assertThat(status()).as("0.00006 USD reserved fits 0.0002 USD").isEqualTo(200);
    }

    @Test
    void withoutCostAccountingTheLimitsDefaultPriceApplies() throws Exception {
        start(limits("memory", "t:", false, Map.of(), budget("daily", 0.0002, "day")), new CostConfig(false, null, null));

        assertThat(status()).as("0.001 USD reserved does not fit 0.0002 USD").isEqualTo(429);
    }

    @Test
    void limitsPricesWinForTheModelsTheyName() throws Exception {
        start(limits("memory", "t:", false, Map.of("gpt-4o-mini*", new LimitsConfig.Price(2.0, 10.0)),
                budget("daily", 0.0002, "day")), null);

        assertThat(status()).isEqualTo(429);
    }
}
