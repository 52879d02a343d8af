package io.gatehouse.policy;

import io.gatehouse.pipeline.Call;
import io.gatehouse.pipeline.ErrorKind;
import io.gatehouse.pipeline.GatewayError;
import io.gatehouse.pipeline.ProxyRequest;
import io.gatehouse.pipeline.ProxyResponse;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;

import java.util.List;
import java.util.Map;

/**
 * A provider's {@code allowed_origins} and what follows from them on the wire: whether a request's Origin may
 * call, the answer to a CORS preflight, and the CORS headers of every other response. The gateway is the only
 * CORS authority for such a provider: preflights are never forwarded and the upstream's own CORS headers are
 * dropped.
 */
final class CorsPolicy {
    static final String ORIGIN_NOT_ALLOWED = "origin_not_allowed";

    /** The methods a preflight offers when {@code allowed_methods} does not narrow them. */
    private static final String DEFAULT_ALLOW_METHODS = "GET, POST, PUT, PATCH, DELETE, OPTIONS";
    /** The headers a preflight offers when the browser did not say which it will send. */
    private static final String DEFAULT_ALLOW_HEADERS = "authorization, content-type, x-api-key, anthropic-version, "
            + "anthropic-beta, openai-organization, openai-project, x-gatehouse-session-id, x-gatehouse-agent-id, x-gatehouse-tags";
    /** A day, as browsers cap it lower anyway (Chrome two hours, Firefox one day). */
    private static final String MAX_AGE_SECONDS = "86400";
    private static final String PREFLIGHT_VARY = "Origin, Access-Control-Request-Method, Access-Control-Request-Headers";
    private static final String GATEWAY_EXPOSED = "x-gatehouse-request-id, x-gatehouse-session-id, x-gatehouse-agent-id, "
            + "x-gatehouse-overhead-ms, x-gatehouse-upstream, server-timing, retry-after, x-ratelimit-limit, "
            + "x-ratelimit-remaining, x-ratelimit-reset";
    /** Each provider's request id and rate-limit headers, which a browser client needs to read to back off. */
    private static final Map<String, String> PROVIDER_EXPOSED = Map.of(
            "openai", "x-request-id, openai-processing-ms, x-ratelimit-limit-requests, x-ratelimit-limit-tokens, "
                    + "x-ratelimit-remaining-requests, x-ratelimit-remaining-tokens, x-ratelimit-reset-requests, "
                    + "x-ratelimit-reset-tokens",
            "anthropic", "request-id, anthropic-ratelimit-requests-limit, anthropic-ratelimit-requests-remaining, "
                    + "anthropic-ratelimit-requests-reset, anthropic-ratelimit-tokens-limit, anthropic-ratelimit-tokens-remaining, "
                    + "anthropic-ratelimit-tokens-reset, anthropic-ratelimit-input-tokens-limit, "
                    + "anthropic-ratelimit-input-tokens-remaining, anthropic-ratelimit-input-tokens-reset, "
                    + "anthropic-ratelimit-output-tokens-limit, anthropic-ratelimit-output-tokens-remaining, "
                    + "anthropic-ratelimit-output-tokens-reset");
    private static final List<String> UPSTREAM_CORS_HEADERS = List.of("access-control-allow-origin",
            "access-control-allow-credentials", "access-control-expose-headers", "access-control-allow-methods",
            "access-control-allow-headers", "access-control-max-age");

    private final Glob[] origins;
    private final boolean anyOrigin;
    private final String allowedText;
    private final String allowMethods;
    private final String exposeHeaders;

    /**
     * @param origins        {@code allowed_origins}: origins or globs over them, {@code *} for any; empty for none
     * @param allowedMethods {@code allowed_methods}, upper-case; empty when any method may be used
     * @param providerType   the provider's wire format, whose response headers browsers may read
     */
    CorsPolicy(List<String> origins, List<String> allowedMethods, String providerType) {
        this.origins = origins.stream().map(origin -> Glob.compile(origin, true)).toArray(Glob[]::new);
        this.anyOrigin = origins.contains("*");
        this.allowedText = origins.isEmpty() ? "none (allowed_origins is not set)" : "[" + String.join(", ", origins) + "]";
        this.allowMethods = allowedMethods.isEmpty() ? DEFAULT_ALLOW_METHODS : String.join(", ", allowedMethods);
        String exposedByProvider = PROVIDER_EXPOSED.get(providerType);
        this.exposeHeaders = exposedByProvider == null ? GATEWAY_EXPOSED : GATEWAY_EXPOSED + ", " + exposedByProvider;
    }

    /** True when browsers may call from some origin, so responses carry CORS headers. */
    boolean isEnabled() {
        return origins.length > 0;
    }

    static boolean isPreflight(HttpMethod method, MultiMap headers) {
        return method == HttpMethod.OPTIONS && headers.contains("origin") && headers.contains("access-control-request-method");
    }

    /** Whether a request from {@code origin} may go on: always without an Origin, else when it is listed. */
    boolean allows(String origin) {
        if (origin == null || origins.length == 0) {
            return true;
        }
        for (Glob allowed : origins) {
            if (allowed.matches(origin)) {
                return true;
            }
        }
        return false;
    }

    GatewayError originNotAllowed(String origin) {
        return new GatewayError(ErrorKind.PERMISSION, "Origin '" + Messages.shorten(origin)
                + "' is not allowed. Allowed origins: " + allowedText, ORIGIN_NOT_ALLOWED);
    }

    /**
     * The gateway's answer to a preflight: 204 with the allowed methods, the headers the browser asked for, and a
     * max age, for a listed origin; null when the origin is not listed (or none is), which the caller refuses.
     */
    ProxyResponse preflight(ProxyRequest request, Call call) {
        call.responseHeaders().set("vary", PREFLIGHT_VARY);
        String origin = request.headers().get("origin");
        if (!isEnabled() || !allows(origin)) {
            return null;
        }
        String requestedHeaders = request.headers().get("access-control-request-headers");
        MultiMap headers = MultiMap.caseInsensitiveMultiMap()
                .set("access-control-allow-origin", anyOrigin ? "*" : origin)
                .set("access-control-allow-methods", allowMethods)
                .set("access-control-allow-headers", requestedHeaders == null || requestedHeaders.isBlank()
                        ? DEFAULT_ALLOW_HEADERS : requestedHeaders)
                .set("access-control-max-age", MAX_AGE_SECONDS);
        return ProxyResponse.of(204, headers, Buffer.buffer());
    }

    /**
     * Puts the CORS headers on whatever response the call ends with, gateway errors included: Vary: Origin always
     * (the answer depends on it), and for a listed origin the origin it may read from and the headers it may read.
     */
    void addResponseHeaders(Call call, String origin) {
        MultiMap headers = call.responseHeaders().set("vary", "Origin");
        if (origin != null && allows(origin)) {
            headers.set("access-control-allow-origin", anyOrigin ? "*" : origin)
                    .set("access-control-expose-headers", exposeHeaders);
        }
    }

    /**
     * Drops the upstream's own CORS headers, which speak for the upstream's origins rather than this gateway's,
     * and keeps what else its Vary names alongside Origin.
     */
    ProxyResponse replaceUpstreamHeaders(ProxyResponse reply, Call call) {
        MultiMap headers = reply.headers();
        for (String name : UPSTREAM_CORS_HEADERS) {
            headers.remove(name);
        }
        String upstreamVary = headers.get("vary");
        if (upstreamVary != null && !upstreamVary.isBlank()) {
            call.responseHeaders().set("vary", mergeVary(upstreamVary));
        }
        return reply;
    }

    private static String mergeVary(String upstreamVary) {
        for (String token : upstreamVary.split(",")) {
            String name = token.trim();
            if (name.equals("*") || name.equalsIgnoreCase("origin")) {
                return upstreamVary;
            }
        }
        return upstreamVary + ", Origin";
    }
}
