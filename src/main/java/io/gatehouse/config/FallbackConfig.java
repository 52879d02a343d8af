package io.gatehouse.config;

/**
 * One entry of a provider's {@code fallbacks}: another provider of the same wire format to send the call to.
 *
 * @param model the model to ask it for instead of the client's, or null to keep the client's
 */
public record FallbackConfig(String provider, String model) {
}
