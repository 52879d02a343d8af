package io.gatehouse.provider;

import io.gatehouse.pipeline.WireFormat;
import io.gatehouse.provider.anthropic.AnthropicFormat;
import io.gatehouse.provider.openai.OpenAiFormat;
import io.gatehouse.provider.translate.InboundApi;
import io.vertx.core.MultiMap;

/**
 * Which API a client speaks, read from the path it called (and, on the model list both SDKs share, from Anthropic's
 * version header). Clients of the unified endpoints ({@code /v1/chat/completions}, {@code /v1/messages}…) speak
 * OpenAI's or Anthropic's API whatever provider the call goes to; any other path is the provider's own, passed through.
 */
public final class ClientApis {
    private ClientApis() {
    }

    /**
     * The client's wire format for a call to {@code path} (provider prefix removed) with {@code headers}, routed to
     * {@code upstream}.
     */
    public static WireFormat formatOf(String path, MultiMap headers, WireFormat upstream) {
        boolean modelList = path.equals("/v1/models") || path.startsWith("/v1/models/");
        // Both SDKs list models at the same path; only Anthropic's sends its version header.
        if (isAnthropicMessages(path) || (modelList && headers.contains("anthropic-version"))) {
            return AnthropicFormat.INSTANCE;
        }
        if (path.endsWith("/chat/completions") || path.endsWith("/responses") || path.endsWith("/embeddings")
                || path.endsWith("/completions") || modelList) {
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
