package io.gatehouse.proxy;

import io.gatehouse.pipeline.Upstream;
import io.vertx.core.MultiMap;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Which headers cross the gateway, in each direction. */
final class HeaderPolicy {

    /** RFC 9110 §7.6.1 connection-specific headers, plus the legacy ones proxies still see. */
    private static final Set<String> HOP_BY_HOP = Set.of(
            "connection", "keep-alive", "proxy-connection", "proxy-authenticate", "proxy-authorization",
            "te", "trailer", "transfer-encoding", "upgrade");

    private HeaderPolicy() {
    }

    /**
     * The headers to send upstream: the client's, minus hop-by-hop headers, the gateway's own
     * {@code x-gatehouse-*} and {@code x-cylestio-*} control headers, and the client's credential when
     * the gateway holds a key of its own, which it then puts in the provider's place.
     * Accept-Encoding is left to the HTTP client, which asks for gzip and decompresses, so that
     * interceptors always see plain bytes.
     */
    static MultiMap upstreamRequestHeaders(MultiMap client, Upstream upstream) {
        MultiMap out = MultiMap.caseInsensitiveMultiMap();
        Set<String> named = connectionTokens(client.get("connection"));
        boolean replaceCredential = upstream.apiKey() != null;
        for (Map.Entry<String, String> header : client) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (HOP_BY_HOP.contains(name) || named.contains(name)
                    || name.equals("host") || name.equals("content-length") || name.equals("accept-encoding")
                    || isControlHeader(name)
                    || (replaceCredential && upstream.format().credentialHeaders().contains(name))) {
                continue;
            }
            out.add(header.getKey(), header.getValue());
        }
        if (replaceCredential) {
            upstream.format().applyCredential(out, upstream.apiKey());
        }
        return out;
    }

    /** The upstream's response headers as the client gets them: all but hop-by-hop ones. */
    static MultiMap clientResponseHeaders(MultiMap upstream) {
        MultiMap out = MultiMap.caseInsensitiveMultiMap();
        Set<String> named = connectionTokens(upstream.get("connection"));
        for (Map.Entry<String, String> header : upstream) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (!HOP_BY_HOP.contains(name) && !named.contains(name)) {
                out.add(header.getKey(), header.getValue());
            }
        }
        return out;
    }

    static boolean isControlHeader(String lowerCaseName) {
        return lowerCaseName.startsWith("x-gatehouse-") || lowerCaseName.startsWith("x-cylestio-");
    }

    private static Set<String> connectionTokens(String connection) {
        if (connection == null || connection.isBlank()) {
            return Set.of();
        }
        Set<String> tokens = new java.util.HashSet<>();
        for (String token : connection.split(",")) {
            tokens.add(token.trim().toLowerCase(Locale.ROOT));
        }
        return tokens;
    }
}
