package io.gatehouse.config;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One upstream. Times are in seconds.
 *
 * @param timeout        how long to wait for the upstream's response headers
 * @param connectTimeout how long to wait for a connection
 * @param idleTimeout    how long a response body may pause between chunks
 * @param maxRetries     retries of a request whose connection could not be made
 * @param paramWhitelist body field paths to the patterns their values must match (request controls, like the
 *                       four lists after it; all empty when the provider has none)
 * @param allowedOrigins origins browsers may call from, {@code *} for any
 * @param requiredHeaders headers every request must carry
 * @param allowedMethods methods a request may use; empty for any
 * @param allowedPaths   path prefixes (globs per segment) a request may go to; empty for any
 */
public record ProviderConfig(
        String name,
        String type,
        @JsonProperty("base_url") String baseUrl,
        @JsonProperty("api_key") String apiKey,
        Double timeout,
        @JsonProperty("connect_timeout") Double connectTimeout,
        @JsonProperty("idle_timeout") Double idleTimeout,
        @JsonProperty("max_retries") Integer maxRetries,
        @JsonProperty("param_whitelist") Map<String, List<String>> paramWhitelist,
        @JsonProperty("allowed_origins") List<String> allowedOrigins,
        @JsonProperty("required_headers") List<String> requiredHeaders,
        @JsonProperty("allowed_methods") List<String> allowedMethods,
        @JsonProperty("allowed_paths") List<String> allowedPaths) {

    public static final double DEFAULT_TIMEOUT = 600;
    public static final double DEFAULT_CONNECT_TIMEOUT = 10;
    public static final double DEFAULT_IDLE_TIMEOUT = 300;
    public static final int DEFAULT_MAX_RETRIES = 3;

    public ProviderConfig {
        timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
        connectTimeout = connectTimeout == null ? DEFAULT_CONNECT_TIMEOUT : connectTimeout;
        idleTimeout = idleTimeout == null ? DEFAULT_IDLE_TIMEOUT : idleTimeout;
        maxRetries = maxRetries == null ? DEFAULT_MAX_RETRIES : maxRetries;
        // Kept in the file's order, so rules are checked and reported in the order they were written.
        paramWhitelist = paramWhitelist == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(paramWhitelist));
        allowedOrigins = allowedOrigins == null ? List.of() : List.copyOf(allowedOrigins);
        requiredHeaders = requiredHeaders == null ? List.of() : List.copyOf(requiredHeaders);
        allowedMethods = allowedMethods == null ? List.of() : List.copyOf(allowedMethods);
        allowedPaths = allowedPaths == null ? List.of() : List.copyOf(allowedPaths);
        if (baseUrl != null) {
            while (baseUrl.endsWith("/")) {
                baseUrl = baseUrl.substring(0, baseUrl.length() - 1);
            }
        }
    }

    /** An upstream without request controls. */
    public ProviderConfig(String name, String type, String baseUrl, String apiKey, Double timeout, Double connectTimeout,
                          Double idleTimeout, Integer maxRetries) {
        this(name, type, baseUrl, apiKey, timeout, connectTimeout, idleTimeout, maxRetries, null, null, null, null, null);
    }

    public ProviderConfig withName(String newName) {
        return new ProviderConfig(newName, type, baseUrl, apiKey, timeout, connectTimeout, idleTimeout, maxRetries,
                paramWhitelist, allowedOrigins, requiredHeaders, allowedMethods, allowedPaths);
    }

    /** True when any request control is set, so requests to this provider are checked before anything else. */
    public boolean hasRequestControls() {
        return !paramWhitelist.isEmpty() || !allowedOrigins.isEmpty() || !requiredHeaders.isEmpty()
                || !allowedMethods.isEmpty() || !allowedPaths.isEmpty();
    }
}
