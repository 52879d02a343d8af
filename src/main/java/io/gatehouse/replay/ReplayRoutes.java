package io.gatehouse.replay;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** How a recorded call finds its provider again: the path prefix the gateway routes by, and the provider's API type. */
final class ReplayRoutes {
    private static final String WORKFLOW_PREFIX = "/agent-workflow/";

    private ReplayRoutes() {
    }

    /**
     * The path that makes the replaying gateway route the call to its recorded provider: as recorded when that
     * already routes there (a {@code /{provider}} prefix, or the default provider), else with the provider's prefix
     * added after any {@code /agent-workflow/{id}}. A provider the gateway does not know leaves the path as recorded.
     */
    static String routedPath(RecordedRequest request, Set<String> providerNames, String defaultProvider) {
        String provider = request.provider();
        if (provider == null || provider.equals(defaultProvider) || !providerNames.contains(provider)) {
            return request.path();
        }
        if (hasProviderPrefix(request.path(), providerNames)) {
            return request.path();
        }
        int split = workflowPrefixLength(request.path());
        return request.path().substring(0, split) + "/" + provider + request.path().substring(split);
    }

    /** The path starts with one of the providers' names, after any {@code /agent-workflow/{id}}. */
    static boolean hasProviderPrefix(String path, Set<String> providerNames) {
        return providerNames.contains(firstSegment(path.substring(workflowPrefixLength(path))));
    }

    /** The path an upstream API expects: without the workflow prefix and the recorded provider's prefix. */
    static String upstreamPath(RecordedRequest request) {
        String rest = request.path().substring(workflowPrefixLength(request.path()));
        String provider = request.provider();
        if (provider != null && provider.equals(firstSegment(rest))) {
            int next = rest.indexOf('/', 1);
            return next < 0 ? "/" : rest.substring(next);
        }
        return rest;
    }

    /**
     * The API type (openai or anthropic) of a recorded call when no configuration says: the provider's name when it
     * is a type's name, else Anthropic's {@code /messages} route or {@code anthropic-version} header, else OpenAI,
     * which most other providers imitate.
     */
    static String inferType(String providerName, String path, Map<String, String> headers) {
        if ("anthropic".equalsIgnoreCase(providerName) || "openai".equalsIgnoreCase(providerName)) {
            return providerName.toLowerCase(Locale.ROOT);
        }
        String route = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        if (route.endsWith("/messages") || headers.containsKey("anthropic-version")) {
            return "anthropic";
        }
        return "openai";
    }

    private static int workflowPrefixLength(String path) {
        if (!path.startsWith(WORKFLOW_PREFIX)) {
            return 0;
        }
        int idEnd = path.indexOf('/', WORKFLOW_PREFIX.length());
        return idEnd < 0 ? path.length() : idEnd;
    }

    private static String firstSegment(String path) {
        if (path.length() < 2) {
            return "";
        }
        int end = path.indexOf('/', 1);
        return end < 0 ? path.substring(1) : path.substring(1, end);
    }
}
