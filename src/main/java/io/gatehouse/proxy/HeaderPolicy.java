package io.gatehouse.proxy;

import io.gatehouse.pipeline.Upstream;
import io.vertx.core.MultiMap;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Which headers cross the gateway, in each direction. */
final class HeaderPolicy {

    /**
     * RFC 9110 §7.6.1 connection-specific headers, plus the legacy ones proxies still see. Names are compared
     * ignoring case against these lists rather than lower-cased first: every header of every call passes here, and
     * most names are rejected by their length alone.
     */
    private static final List<String> HOP_BY_HOP = List.of(
            "connection", "keep-alive", "proxy-connection", "proxy-authenticate", "proxy-authorization",
            "te", "trailer", "transfer-encoding", "upgrade");
    /** Request headers the HTTP client sets itself (see {@link #upstreamRequestHeaders}). */
    private static final List<String> SET_BY_CLIENT = List.of("host", "content-length", "accept-encoding");
    private static final String GATEHOUSE_PREFIX = "x-gatehouse-";
    private static final String CYLESTIO_PREFIX = "x-cylestio-";

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
        List<String> credentialHeaders = upstream.format().credentialHeaders();
        for (Map.Entry<String, String> header : client) {
            String name = header.getKey();
            if (isHopByHop(name, named) || isOneOf(name, SET_BY_CLIENT) || isControlHeader(name)
                    || (replaceCredential && isOneOf(name, credentialHeaders))) {
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
            String name = header.getKey();
            if (!isHopByHop(name, named)) {
                out.add(name, header.getValue());
            }
        }
        return out;
    }

    /** The gateway's own {@code x-gatehouse-*} and {@code x-cylestio-*} headers, in any case. */
    static boolean isControlHeader(String name) {
        return name.regionMatches(true, 0, GATEHOUSE_PREFIX, 0, GATEHOUSE_PREFIX.length())
                || name.regionMatches(true, 0, CYLESTIO_PREFIX, 0, CYLESTIO_PREFIX.length());
    }

    /** A connection-specific header: a standard one, or one the Connection header names ({@code connectionTokens}). */
    private static boolean isHopByHop(String name, Set<String> connectionTokens) {
        return isOneOf(name, HOP_BY_HOP)
                || (!connectionTokens.isEmpty() && connectionTokens.contains(name.toLowerCase(Locale.ROOT)));
    }

    /** Whether {@code name} is one of {@code names}, ignoring case. */
    private static boolean isOneOf(String name, List<String> names) {
        for (String candidate : names) {
            if (candidate.equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
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
