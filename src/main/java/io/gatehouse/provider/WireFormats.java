package io.gatehouse.provider;

import io.gatehouse.pipeline.WireFormat;
import io.gatehouse.provider.anthropic.AnthropicFormat;
import io.gatehouse.provider.openai.OpenAiFormat;

import java.util.List;

/** The provider types the gateway knows, by their config name. */
public final class WireFormats {
    private static final List<WireFormat> ALL = List.of(OpenAiFormat.INSTANCE, AnthropicFormat.INSTANCE);

    private WireFormats() {
    }

    public static WireFormat of(String type) {
        for (WireFormat format : ALL) {
            if (format.type().equalsIgnoreCase(type)) {
                return format;
            }
        }
        throw new IllegalArgumentException("Unknown provider type: " + type);
    }

    public static List<String> types() {
        return ALL.stream().map(WireFormat::type).toList();
    }
}
