package io.gatehouse.routing;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import io.gatehouse.testing.GatewayTestSupport;
import io.gatehouse.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

import static io.gatehouse.routing.FakeProviders.CLIENT_KEY;

/**
 * The OpenAI SDK pointed at a gateway in front of every fake provider ({@link FakeProviders#gateway()}), shared by
 * a test class's tests; each test starts with no request remembered.
 */
abstract class OpenAiSdkOnFakeProvidersSupport extends GatewayTestSupport {
    static FakeProviders providers;
    static TestGateway.Running gateway;
    static OpenAIClient openai;

    @BeforeAll
    static void startGatewayAndSdk() {
        providers = FakeProviders.start(vertx);
        gateway = providers.gateway().start();
        openai = OpenAIOkHttpClient.builder().baseUrl(gateway.baseUrl() + "/v1").apiKey(CLIENT_KEY).maxRetries(0).build();
    }

    @AfterAll
    static void stopGatewayAndSdk() {
        openai.close();
        gateway.close();
        providers.close();
    }

    @BeforeEach
    void forgetEarlierRequests() {
        providers.forgetRequests();
    }
}
