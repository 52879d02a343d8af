package io.gatehouse.provider;

import io.gatehouse.pipeline.WireFormat;
import io.gatehouse.provider.anthropic.AnthropicFormat;
import io.gatehouse.provider.openai.OpenAiFormat;
import io.gatehouse.provider.translate.InboundApi;

/**
 * Which API a client speaks, read from the path it called. Clients of the unified endpoints
 * ({@code /v1/chat/completions}, {@code /v1/messages}…) speak OpenAI's or Anthropic's API whatever provider the call
 * goes to; any other path is the provider's own, passed through.
 */
public final class ClientApis {
    private ClientApis() {
    }

    /** The client's wire format for a call to {@code path} (provider prefix removed) routed to {@code upstream}. */
    public static WireFormat formatOf(String path, WireFormat upstream) {
        if (isAnthropicMessages(path)) {
            return AnthropicFormat.INSTANCE;
        }
        if (path.endsWith("/chat/completions") || path.endsWith("/responses") || path.endsWith("/embeddings")
                || path.endsWith("/completions") || path.equals("/v1/models") || path.startsWith("/v1/models/")) {
            return OpenAiFormat.INSTANCE;
        }
        return upstream;
    }

    /** The API of a call that may be translated, or null when the path is none of them. */
    public static InboundApi inboundApi(String path) {
        if (path.equals("/v1/chat/completions")) {
            return InboundApi.OPENAI_CHAT;
        }
        if (path.equals("/v1/messages")) {
            return InboundApi.ANTHROPIC_MESSAGES;
        }
        if (path.equals("/v1/responses")) {
            return InboundApi.OPENAI_RESPONSES;
        }
        return null;
    }

    private static boolean isAnthropicMessages(String path) {
        return path.equals("/v1/messages") || path.startsWith("/v1/messages/");
    }
}
