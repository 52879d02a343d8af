package io.gatehouse.proxy;

/**
 * Names a request path by the API it calls, for metric labels: a bounded set of names, so arbitrary
 * client paths cannot blow up the number of time series.
 */
final class RouteNames {
    private RouteNames() {
    }

    static String of(String path) {
        String p = path.startsWith("/v1/") ? path.substring(3) : path.startsWith("/v1beta/") ? path.substring(7) : path;
        if (p.startsWith("/chat/completions")) {
            return "chat_completions";
        }
        if (p.equals("/messages/count_tokens")) {
            return "count_tokens";
        }
        if (p.startsWith("/messages")) {
            return "messages";
        }
        if (p.startsWith("/responses")) {
            return "responses";
        }
        if (p.startsWith("/completions")) {
            return "completions";
        }
        if (p.startsWith("/embeddings")) {
            return "embeddings";
        }
        if (p.startsWith("/models")) {
            return p.contains(":generateContent") || p.contains(":streamGenerateContent") ? "generate_content" : "models";
        }
        for (String family : new String[] {"audio", "images", "moderations", "files", "batches", "uploads", "fine_tuning", "vector_stores"}) {
            if (p.startsWith("/" + family)) {
                return family;
            }
        }
        return "other";
    }
}
