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
 * @param maxRetries     the seed's key: retries after the first call, the default of {@code retry.max_attempts} - 1
 * @param paramWhitelist body field paths to the patterns their values must match (request controls, like the
 *                       four lists after it; all empty when the provider has none)
 * @param allowedOrigins origins browsers may call from, {@code *} for any
 * @param requiredHeaders headers every request must carry
 * @param allowedMethods methods a request may use; empty for any
 * @param allowedPaths   path prefixes (globs per segment) a request may go to; empty for any
 * @param retry          which failed calls are retried and how; null retries only failed connections,
 *                       {@code maxRetries} times (docs/resilience.md)
 * @param fallbacks      providers tried in order once this one has failed with a {@code fallbackOn} status, a failed
 *                       connection, open breakers or a full bulkhead
 * @param fallbackOn     statuses that send the call on to the next fallback
 * @param deployments    several keys or base URLs sharing this provider's calls; empty for the provider's own
 * @param balancing      how calls are spread over the deployments: {@code weighted} or {@code least_latency}
 * @param circuitBreaker a breaker per deployment, or null for none
 * @param bulkhead       a cap on the calls in flight to this provider, or null for none
 * @param apiVersion     Azure OpenAI's {@code api-version} query parameter (type {@code azure})
 * @param region         the AWS region of a {@code bedrock} provider; read from its base URL when not given
 * @param models         the models it serves, as {@code /v1/models} lists them ({@code name:model}); empty when
 *                       not listed
 * @param http2          whether calls go to the upstream over HTTP/2 (negotiated by ALPN over TLS, with prior
 *                       knowledge over plain HTTP), many calls sharing one connection; HTTP/1.1 when false (default)
 * @param caFile         a PEM file of the certificates that an https upstream's certificate must chain to, instead
 *                       of the JVM's trusted authorities; null (or blank, as an unset variable leaves it) for those
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
        @JsonProperty("allowed_paths") List<String> allowedPaths,
        RetryConfig retry,
        List<FallbackConfig> fallbacks,
        @JsonProperty("fallback_on") List<Integer> fallbackOn,
        List<DeploymentConfig> deployments,
        String balancing,
        @JsonProperty("circuit_breaker") BreakerConfig circuitBreaker,
        BulkheadConfig bulkhead,
        @JsonProperty("api_version") String apiVersion,
        String region,
        List<String> models,
        Boolean http2,
        @JsonProperty("ca_file") String caFile) {

    public static final double DEFAULT_TIMEOUT = 600;
    public static final double DEFAULT_CONNECT_TIMEOUT = 10;
    public static final double DEFAULT_IDLE_TIMEOUT = 300;
    public static final int DEFAULT_MAX_RETRIES = 3;
    public static final List<Integer> DEFAULT_FALLBACK_ON = List.of(429, 500, 502, 503, 504);
    public static final String WEIGHTED = "weighted";
    public static final String LEAST_LATENCY = "least_latency";
    /** The newest generally available Azure OpenAI data-plane version when this was written. */
    public static final String DEFAULT_AZURE_API_VERSION = "2024-10-21";

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
        fallbacks = fallbacks == null ? List.of() : List.copyOf(fallbacks);
        fallbackOn = fallbackOn == null ? DEFAULT_FALLBACK_ON : List.copyOf(fallbackOn);
        deployments = deployments == null ? List.of() : List.copyOf(deployments);
        balancing = balancing == null ? WEIGHTED : balancing;
        apiVersion = apiVersion == null && "azure".equals(type) ? DEFAULT_AZURE_API_VERSION : apiVersion;
        models = models == null ? List.of() : List.copyOf(models);
        http2 = http2 != null && http2;
        caFile = caFile == null || caFile.isBlank() ? null : caFile;
        if (baseUrl != null) {
            while (baseUrl.endsWith("/")) {
                baseUrl = baseUrl.substring(0, baseUrl.length() - 1);
            }
        }
    }

    /** An upstream trusting the JVM's certificate authorities. */
    public ProviderConfig(String name, String type, String baseUrl, String apiKey, Double timeout, Double connectTimeout,
                          Double idleTimeout, Integer maxRetries, Map<String, List<String>> paramWhitelist,
                          List<String> allowedOrigins, List<String> requiredHeaders, List<String> allowedMethods,
                          List<String> allowedPaths, RetryConfig retry, List<FallbackConfig> fallbacks,
                          List<Integer> fallbackOn, List<DeploymentConfig> deployments, String balancing,
                          BreakerConfig circuitBreaker, BulkheadConfig bulkhead, String apiVersion, String region,
                          List<String> models, Boolean http2) {
        this(name, type, baseUrl, apiKey, timeout, connectTimeout, idleTimeout, maxRetries, paramWhitelist, allowedOrigins,
                requiredHeaders, allowedMethods, allowedPaths, retry, fallbacks, fallbackOn, deployments, balancing,
                circuitBreaker, bulkhead, apiVersion, region, models, http2, null);
    }

    /** An upstream without request controls. */
    public ProviderConfig(String name, String type, String baseUrl, String apiKey, Double timeout, Double connectTimeout,
                          Double idleTimeout, Integer maxRetries) {
        this(name, type, baseUrl, apiKey, timeout, connectTimeout, idleTimeout, maxRetries, null, null, null, null, null);
    }

    /** An upstream with request controls, without retries beyond failed connections, fallbacks or deployments. */
    public ProviderConfig(String name, String type, String baseUrl, String apiKey, Double timeout, Double connectTimeout,
                          Double idleTimeout, Integer maxRetries, Map<String, List<String>> paramWhitelist,
                          List<String> allowedOrigins, List<String> requiredHeaders, List<String> allowedMethods,
                          List<String> allowedPaths) {
        this(name, type, baseUrl, apiKey, timeout, connectTimeout, idleTimeout, maxRetries, paramWhitelist, allowedOrigins,
                requiredHeaders, allowedMethods, allowedPaths, null, null, null, null, null, null, null, null, null, null, null);
    }

    public ProviderConfig withName(String newName) {
        return new ProviderConfig(newName, type, baseUrl, apiKey, timeout, connectTimeout, idleTimeout, maxRetries,
                paramWhitelist, allowedOrigins, requiredHeaders, allowedMethods, allowedPaths, retry, fallbacks, fallbackOn,
                deployments, balancing, circuitBreaker, bulkhead, apiVersion, region, models, http2, caFile);
    }

    /** The same provider with the settings translation needs: Azure's api-version, Bedrock's region, its models. */
    public ProviderConfig withTranslation(String newApiVersion, String newRegion, List<String> newModels) {
        return new ProviderConfig(name, type, baseUrl, apiKey, timeout, connectTimeout, idleTimeout, maxRetries,
                paramWhitelist, allowedOrigins, requiredHeaders, allowedMethods, allowedPaths, retry, fallbacks, fallbackOn,
                deployments, balancing, circuitBreaker, bulkhead, newApiVersion, newRegion, newModels, http2, caFile);
    }

    /** True when any request control is set, so requests to this provider are checked before anything else. */
    public boolean hasRequestControls() {
        return !paramWhitelist.isEmpty() || !allowedOrigins.isEmpty() || !requiredHeaders.isEmpty()
                || !allowedMethods.isEmpty() || !allowedPaths.isEmpty();
    }
}
