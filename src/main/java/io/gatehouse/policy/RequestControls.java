package io.gatehouse.policy;

import io.gatehouse.config.ProviderConfig;
import io.gatehouse.pipeline.Call;
import io.gatehouse.pipeline.ErrorKind;
import io.gatehouse.pipeline.GatewayError;
import io.gatehouse.pipeline.ProxyRequest;
import io.vertx.core.MultiMap;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One provider's request controls, compiled once: which methods and paths it serves, which headers every request
 * must carry, which origins may call it, and which values body fields may take. {@link #check} runs them in that
 * order and names the first rule a request breaks.
 */
final class RequestControls {
    static final String METHOD_NOT_ALLOWED = "method_not_allowed";
    static final String ENDPOINT_NOT_ALLOWED = "endpoint_not_allowed";
    static final String MISSING_REQUIRED_HEADER = "missing_required_header";
    static final String ORIGIN_REQUIRED = "origin_required";
    static final String PARAM_NOT_ALLOWED = "param_not_allowed";

    private final List<String> methods;
    private final String allowHeader;
    private final PathPattern[] paths;
    private final String pathsText;
    private final String[] requiredHeaders;
    private final String requiredText;
    private final ParamRule[] params;
    private final CorsPolicy cors;

    private RequestControls(List<String> methods, PathPattern[] paths, List<String> requiredHeaders, ParamRule[] params,
                            CorsPolicy cors) {
        this.methods = methods;
        this.allowHeader = String.join(", ", methods);
        this.paths = paths;
        this.pathsText = "[" + String.join(", ", Arrays.stream(paths).map(PathPattern::pattern).toList()) + "]";
        this.requiredHeaders = requiredHeaders.toArray(String[]::new);
        this.requiredText = "[" + String.join(", ", requiredHeaders) + "]";
        this.params = params;
        this.cors = cors;
    }

    /** @throws IllegalArgumentException when a param_whitelist key is not a field path */
    static RequestControls compile(ProviderConfig provider) {
        List<String> methods = provider.allowedMethods().stream().map(method -> method.toUpperCase(Locale.ROOT)).distinct().toList();
        PathPattern[] paths = provider.allowedPaths().stream().map(PathPattern::compile).toArray(PathPattern[]::new);
        List<String> required = provider.requiredHeaders().stream().map(name -> name.toLowerCase(Locale.ROOT)).distinct().toList();
        ParamRule[] params = provider.paramWhitelist().entrySet().stream()
                .map(rule -> ParamRule.compile(rule.getKey(), rule.getValue())).toArray(ParamRule[]::new);
        return new RequestControls(methods, paths, required, params, new CorsPolicy(provider.allowedOrigins(), methods, provider.type()));
    }

    CorsPolicy cors() {
        return cors;
    }

    /**
     * Null when the request may go on, else the error for the first rule it breaks. A refused method also puts
     * {@code Allow} on the call's response.
     */
    GatewayError check(ProxyRequest request, Call call) {
        String method = request.method().name();
        if (!methods.isEmpty() && !methods.contains(method) && !methods.contains(method.toUpperCase(Locale.ROOT))) {
            call.responseHeaders().set("allow", allowHeader);
            return new GatewayError(ErrorKind.INVALID_REQUEST, 405, "Method '" + Messages.shorten(method)
                    + "' is not allowed. Allowed methods: " + allowHeader, METHOD_NOT_ALLOWED);
        }
        if (paths.length > 0 && !pathAllowed(request.path())) {
            return new GatewayError(ErrorKind.NOT_FOUND, "Path '" + Messages.shorten(request.path())
                    + "' is not allowed. Allowed paths: " + pathsText, ENDPOINT_NOT_ALLOWED);
        }
        GatewayError missingHeader = missingHeader(request.headers());
        if (missingHeader != null) {
            return missingHeader;
        }
        String origin = request.headers().get("origin");
        if (!cors.allows(origin)) {
            return cors.originNotAllowed(origin);
        }
        return params.length == 0 ? null : paramViolation(request);
    }

    private boolean pathAllowed(String path) {
        if (PathPattern.isAmbiguous(path)) {
            return false;
        }
        for (PathPattern allowed : paths) {
            if (allowed.matches(path)) {
                return true;
            }
        }
        return false;
    }

    /** Only the header's name is ever repeated: its value may be a credential. */
    private GatewayError missingHeader(MultiMap headers) {
        for (String name : requiredHeaders) {
            String value = headers.get(name);
            if (value == null || value.isBlank()) {
                return new GatewayError(ErrorKind.INVALID_REQUEST, "Missing required header '" + name
                        + "'. Required headers: " + requiredText, name.equals("origin") ? ORIGIN_REQUIRED : MISSING_REQUIRED_HEADER);
            }
        }
        return null;
    }

    private GatewayError paramViolation(ProxyRequest request) {
        if (request.json() == null) {
            if (request.body().length() == 0) {
                return null;
            }
            // The upstream may still read a body the gateway could not (other content type, compressed): refuse it
            // rather than let it pass unchecked.
            return new GatewayError(ErrorKind.INVALID_REQUEST, "The request body must be uncompressed JSON "
                    + "(Content-Type: application/json, no Content-Encoding) so that the parameter whitelist can check it",
                    PARAM_NOT_ALLOWED);
        }
        for (ParamRule rule : params) {
            String violation = rule.violation(request.json());
            if (violation != null) {
                return new GatewayError(ErrorKind.INVALID_REQUEST, violation, PARAM_NOT_ALLOWED);
            }
        }
        return null;
    }

    /** Compiles the controls of every provider that has some; providers without any are left out. */
    static Map<String, RequestControls> of(List<ProviderConfig> providers) {
        Map<String, RequestControls> byName = new HashMap<>();
        for (ProviderConfig provider : providers) {
            if (provider.hasRequestControls()) {
                byName.put(provider.name(), compile(provider));
            }
        }
        return Map.copyOf(byName);
    }
}
