package io.gatehouse.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One of several keys or deployments of a provider, which share its calls.
 *
 * @param baseUrl the deployment's base URL, or null for the provider's
 * @param apiKey  the deployment's key, or null for the provider's
 * @param weight  its share of the calls under {@code balancing: weighted}
 */
public record DeploymentConfig(
        @JsonProperty("base_url") String baseUrl,
        @JsonProperty("api_key") String apiKey,
        Integer weight) {

    public DeploymentConfig {
        weight = weight == null ? 1 : weight;
        if (baseUrl != null) {
            while (baseUrl.endsWith("/")) {
                baseUrl = baseUrl.substring(0, baseUrl.length() - 1);
            }
        }
    }
}
