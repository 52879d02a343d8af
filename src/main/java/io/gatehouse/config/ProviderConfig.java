package io.gatehouse.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One upstream. Times are in seconds.
 *
 * @param timeout        how long to wait for the upstream's response headers
 * @param connectTimeout how long to wait for a connection
 * @param idleTimeout    how long a response body may pause between chunks
 * @param maxRetries     retries of a request whose connection could not be made
 */
public record ProviderConfig(
        String name,
        String type,
        @JsonProperty("base_url") String baseUrl,
        @JsonProperty("api_key") String apiKey,
        Double timeout,
        @JsonProperty("connect_timeout") Double connectTimeout,
        @JsonProperty("idle_timeout") Double idleTimeout,
        @JsonProperty("max_retries") Integer maxRetries) {

    public static final double DEFAULT_TIMEOUT = 600;
    public static final double DEFAULT_CONNECT_TIMEOUT = 10;
    public static final double DEFAULT_IDLE_TIMEOUT = 300;
    public static final int DEFAULT_MAX_RETRIES = 3;

    public ProviderConfig {
        timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
        connectTimeout = connectTimeout == null ? DEFAULT_CONNECT_TIMEOUT : connectTimeout;
        idleTimeout = idleTimeout == null ? DEFAULT_IDLE_TIMEOUT : idleTimeout;
        maxRetries = maxRetries == null ? DEFAULT_MAX_RETRIES : maxRetries;
        if (baseUrl != null) {
            while (baseUrl.endsWith("/")) {
                baseUrl = baseUrl.substring(0, baseUrl.length() - 1);
            }
        }
    }

    public ProviderConfig withName(String newName) {
        return new ProviderConfig(newName, type, baseUrl, apiKey, timeout, connectTimeout, idleTimeout, maxRetries);
    }
}
