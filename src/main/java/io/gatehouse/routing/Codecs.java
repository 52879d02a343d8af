package io.gatehouse.routing;

import io.gatehouse.config.ProviderConfig;
import io.gatehouse.provider.anthropic.MessagesInboundCodec;
import io.gatehouse.provider.anthropic.MessagesOutboundCodec;
import io.gatehouse.provider.bedrock.BedrockOutboundCodec;
import io.gatehouse.provider.gemini.GeminiOutboundCodec;
import io.gatehouse.provider.openai.ChatInboundCodec;
import io.gatehouse.provider.openai.ChatOutboundCodec;
import io.gatehouse.provider.openai.responses.ResponsesInboundCodec;
import io.gatehouse.provider.translate.InboundApi;
import io.gatehouse.provider.translate.InboundCodec;
import io.gatehouse.provider.translate.OutboundCodec;

import java.time.InstantSource;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

/** Which codecs serve which provider type, and which client APIs each type speaks without translation. */
final class Codecs {
    private Codecs() {
    }

    static Map<InboundApi, InboundCodec> inbound(InstantSource clock) {
        Map<InboundApi, InboundCodec> codecs = new EnumMap<>(InboundApi.class);
        codecs.put(InboundApi.OPENAI_CHAT, new ChatInboundCodec(clock));
        codecs.put(InboundApi.ANTHROPIC_MESSAGES, new MessagesInboundCodec());
        codecs.put(InboundApi.OPENAI_RESPONSES, new ResponsesInboundCodec(clock));
        return codecs;
    }

    /** OpenAI and Azure serve chat and Responses; OpenAI-compatible servers chat only (Responses is bridged for them). */
    static Set<InboundApi> nativeApis(String type) {
        return switch (type) {
            case "openai", "azure" -> Set.of(InboundApi.OPENAI_CHAT, InboundApi.OPENAI_RESPONSES);
            case "ollama", "vllm", "openai_compatible" -> Set.of(InboundApi.OPENAI_CHAT);
            case "anthropic" -> Set.of(InboundApi.ANTHROPIC_MESSAGES);
            default -> Set.of();
        };
    }

    static OutboundCodec outbound(ProviderConfig provider) {
        return switch (provider.type()) {
            case "anthropic" -> new MessagesOutboundCodec(MessagesOutboundCodec.DEFAULT_MAX_TOKENS);
            case "gemini" -> new GeminiOutboundCodec();
            case "bedrock" -> new BedrockOutboundCodec();
            case "azure" -> new ChatOutboundCodec(provider.apiVersion());
            case "ollama" -> ChatOutboundCodec.ollama();
            default -> new ChatOutboundCodec(null);
        };
    }
}
