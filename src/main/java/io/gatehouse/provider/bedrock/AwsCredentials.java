package io.gatehouse.provider.bedrock;

import io.gatehouse.pipeline.Secret;

/**
 * An AWS access key, for SigV4 signing.
 *
 * @param sessionToken the temporary credentials' token (STS), or null for a long-term key
 */
public record AwsCredentials(String accessKeyId, String secretAccessKey, String sessionToken) {

    public AwsCredentials {
        if (accessKeyId == null || accessKeyId.isBlank() || secretAccessKey == null || secretAccessKey.isBlank()) {
            throw new IllegalArgumentException("An AWS access key needs an access key id and a secret access key");
        }
        if (sessionToken != null && sessionToken.isBlank()) {
            sessionToken = null;
        }
    }

    /**
     * Whether a configured Bedrock secret is an access key ({@code ACCESS_KEY_ID:SECRET_ACCESS_KEY[:SESSION_TOKEN]})
     * rather than a Bedrock API key. Neither AWS key ids, secret keys, session tokens nor API keys contain a colon.
     */
    public static boolean isAccessKey(Secret secret) {
        return secret.reveal().indexOf(':') >= 0;
    }

    /** Reads {@code ACCESS_KEY_ID:SECRET_ACCESS_KEY[:SESSION_TOKEN]}. */
    public static AwsCredentials parse(Secret secret) {
        String[] parts = secret.reveal().split(":", -1);
        if (parts.length < 2 || parts.length > 3) {
            throw new IllegalArgumentException(
                    "A Bedrock access key must read ACCESS_KEY_ID:SECRET_ACCESS_KEY[:SESSION_TOKEN]");
        }
        return new AwsCredentials(parts[0], parts[1], parts.length == 3 ? parts[2] : null);
    }

    /** Masked, as for {@link Secret}: the key id is not secret, the rest is. */
    @Override
    public String toString() {
        return "AwsCredentials[" + accessKeyId + ", " + Secret.mask(secretAccessKey)
                + (sessionToken == null ? "" : ", session token " + Secret.mask(sessionToken)) + "]";
    }
}
