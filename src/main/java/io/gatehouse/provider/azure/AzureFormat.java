package io.gatehouse.provider.azure;

import io.gatehouse.pipeline.GatewayError;
import io.gatehouse.pipeline.Secret;
import io.gatehouse.pipeline.WireFormat;
import io.gatehouse.provider.openai.OpenAiFormat;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

import java.util.List;

/**
 * Azure OpenAI: OpenAI's API under deployment URLs ({@link AzurePaths}), with its key in the {@code api-key} header.
 * Errors look like OpenAI's.
 */
public final class AzureFormat implements WireFormat {
    public static final AzureFormat INSTANCE = new AzureFormat();

    private AzureFormat() {
    }

    @Override
    public String type() {
        return "azure";
    }

    @Override
    public List<String> credentialHeaders() {
        return List.of("api-key", "authorization");
    }

    @Override
    public void applyCredential(MultiMap upstreamHeaders, Secret apiKey) {
        upstreamHeaders.set("api-key", apiKey.reveal());
    }

    @Override
    public Buffer errorBody(GatewayError error) {
        return OpenAiFormat.INSTANCE.errorBody(error);
    }

    @Override
    public Buffer streamErrorEvent(GatewayError error) {
        return OpenAiFormat.INSTANCE.streamErrorEvent(error);
    }
}
