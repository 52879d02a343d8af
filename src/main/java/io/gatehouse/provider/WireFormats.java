package io.gatehouse.provider;

import io.gatehouse.pipeline.WireFormat;
import io.gatehouse.provider.anthropic.AnthropicFormat;
import io.gatehouse.provider.azure.AzureFormat;
import io.gatehouse.provider.bedrock.BedrockFormat;
import io.gatehouse.provider.gemini.GeminiFormat;
import io.gatehouse.provider.openai.OpenAiFormat;

import java.util.List;
import java.util.Locale;

/** The provider types the gateway knows, by their config name, and the wire format each speaks. */
public final class WireFormats {
    /** Servers that speak OpenAI's API as it is; their type only names them. */
    private static final List<String> OPENAI_COMPATIBLE = List.of("ollama", "vllm", "openai_compatible");
    private static final List<WireFormat> ALL = List.of(OpenAiFormat.INSTANCE, AnthropicFormat.INSTANCE,
            AzureFormat.INSTANCE, GeminiFormat.INSTANCE, BedrockFormat.INSTANCE);

    private WireFormats() {
    }

    /**
     * The format of a provider of this type; a Bedrock provider's signs its requests for {@code region}, or for the
     * region its host names when that is null.
     */
    public static WireFormat of(String type, String region) {
        return BedrockFormat.TYPE.equalsIgnoreCase(type) ? BedrockFormat.inRegion(region) : of(type);
    }

    public static WireFormat of(String type) {
        if (OPENAI_COMPATIBLE.contains(type.toLowerCase(Locale.ROOT))) {
            return OpenAiFormat.INSTANCE;
        }
        for (WireFormat format : ALL) {
            if (format.type().equalsIgnoreCase(type)) {
                return format;
            }
        }
        throw new IllegalArgumentException("Unknown provider type: " + type);
    }
}
