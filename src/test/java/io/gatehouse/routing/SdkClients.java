package io.gatehouse.routing;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import io.gatehouse.testing.TestGateway;

/**
 * The official SDKs pointed at a gateway, as an application would configure them: no provider prefix, a placeholder
 * key of the client's own, and no retries so a test sees each answer.
 */
final class SdkClients implements AutoCloseable {
    static final String CLIENT_KEY = "sk-client-placeholder-0123456789";

    final OpenAIClient openai;
    final AnthropicClient anthropic;

    SdkClients(TestGateway.Running gateway) {
        openai = OpenAIOkHttpClient.builder().baseUrl(gateway.baseUrl() + "/v1").apiKey(CLIENT_KEY).maxRetries(0).build();
        anthropic = AnthropicOkHttpClient.builder().baseUrl(gateway.baseUrl()).apiKey(CLIENT_KEY).maxRetries(0).build();
    }

    @Override
    public void close() {
        openai.close();
        anthropic.close();
    }
}
