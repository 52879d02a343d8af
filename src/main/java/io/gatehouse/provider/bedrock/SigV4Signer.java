package io.gatehouse.provider.bedrock;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.signer.Aws4Signer;
import software.amazon.awssdk.auth.signer.params.Aws4SignerParams;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.regions.Region;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * AWS Signature Version 4 for one request, by the AWS SDK's own signer: this class only adapts its inputs and
 * picks out what it added. A pure function of its arguments: the signing time is passed in, not read from a clock.
 *
 * <p>It uses the SDK's {@code Aws4Signer}, deprecated in favour of {@code AwsV4HttpSigner}, because that one always
 * adds and signs an {@code x-amz-content-sha256} header: harmless to AWS, but then no signature can be checked
 * against the published SigV4 test suite, and Bedrock does not ask for the header. {@code Aws4Signer} signs
 * exactly what the suite signs; the tests hold it to the suite's published signatures.
 *
 * <p>The path is double-encoded in the canonical request (each already-encoded segment encoded once more), as for
 * every AWS service except S3; Bedrock's model ids put a {@code %3A} in the path, which is signed as {@code %253A}.
 * The signature covers the Host the URL names (port omitted when it is the scheme's default), which is the Host an
 * HTTP client sends for that URL.
 */
public final class SigV4Signer {
    public static final String AUTHORIZATION = "Authorization";
    public static final String X_AMZ_DATE = "X-Amz-Date";
    public static final String X_AMZ_SECURITY_TOKEN = "X-Amz-Security-Token";

    /** Headers the signer may add, in the order they are returned. */
    private static final List<String> ADDED_HEADERS = List.of(AUTHORIZATION, X_AMZ_DATE, X_AMZ_SECURITY_TOKEN);

    /** Stateless and thread-safe. */
    @SuppressWarnings("deprecation")
    private static final Aws4Signer SIGNER = Aws4Signer.create();

    private SigV4Signer() {
    }

    /**
     * The headers to add to the request so that AWS accepts it: {@code Authorization}, {@code X-Amz-Date}, and
     * {@code X-Amz-Security-Token} for temporary credentials. No {@code x-amz-content-sha256}: only S3 wants it.
     *
     * @param method  the HTTP method
     * @param url     the full URL, path and query already percent-encoded as they will be sent
     * @param headers the headers to sign, exactly as they will be sent (Host is taken from the URL); names are
     *                case-insensitive
     * @param body    the exact body bytes, empty for none
     * @param service the signing name of the service ({@code bedrock} for Bedrock runtime)
     * @param now     the signing time
     */
    @SuppressWarnings("deprecation")
    public static Map<String, String> sign(String method, String url, Map<String, List<String>> headers, byte[] body,
                                           AwsCredentials credentials, String region, String service, Instant now) {
        SdkHttpFullRequest.Builder request = SdkHttpFullRequest.builder()
                .method(SdkHttpMethod.fromValue(method))
                .uri(URI.create(url))
                .contentStreamProvider(ContentStreamProvider.fromByteArrayUnsafe(body));
        headers.forEach(request::putHeader);
        Aws4SignerParams params = Aws4SignerParams.builder()
                .awsCredentials(credentials.sessionToken() == null
                        ? AwsBasicCredentials.create(credentials.accessKeyId(), credentials.secretAccessKey())
                        : AwsSessionCredentials.create(credentials.accessKeyId(), credentials.secretAccessKey(),
                        credentials.sessionToken()))
                .signingName(service)
                .signingRegion(Region.of(region))
                .signingClockOverride(Clock.fixed(now, ZoneOffset.UTC))
                .doubleUrlEncode(true)
                .build();
        SdkHttpFullRequest signed = SIGNER.sign(request.build(), params);
        Map<String, String> added = new LinkedHashMap<>();
        for (String name : ADDED_HEADERS) {
            signed.firstMatchingHeader(name).ifPresent(value -> added.put(name, value));
        }
        return added;
    }
}
