package io.gatehouse.provider;

import io.gatehouse.provider.anthropic.MessagesStreamAssembler;
import io.gatehouse.provider.openai.ChatCompletionStreamAssembler;
import io.gatehouse.provider.openai.ResponsesStreamAssembler;

/** Picks the {@link StreamAssembler} for a call from its provider type and request path. */
public final class StreamAssemblers {

    private StreamAssemblers() {
    }

    /**
     * A new assembler for a streamed call to {@code path} on a {@code providerType} upstream, or null when
     * the route is not a streaming API the gateway knows.
     */
    public static StreamAssembler forRequest(String providerType, String path) {
        if (providerType == null || path == null) {
            return null;
        }
        String route = routeOf(path);
        if ("openai".equalsIgnoreCase(providerType)) {
            if (route.endsWith("/chat/completions")) {
                return new ChatCompletionStreamAssembler();
            }
            if (route.endsWith("/responses")) {
                return new ResponsesStreamAssembler();
            }
        } else if ("anthropic".equalsIgnoreCase(providerType) && route.endsWith("/messages")) {
            return new MessagesStreamAssembler();
        }
        return null;
    }

    /** The path without its query (Azure adds {@code ?api-version=}) or a trailing slash. */
    private static String routeOf(String path) {
        int query = path.indexOf('?');
        String route = query < 0 ? path : path.substring(0, query);
        return route.endsWith("/") ? route.substring(0, route.length() - 1) : route;
    }
}
