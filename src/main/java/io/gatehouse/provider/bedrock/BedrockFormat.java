package io.gatehouse.provider.bedrock;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.pipeline.GatewayError;
import io.gatehouse.pipeline.Json;
import io.gatehouse.pipeline.Secret;
import io.gatehouse.pipeline.WireFormat;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import software.amazon.eventstream.HeaderValue;
import software.amazon.eventstream.Message;

import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * AWS Bedrock runtime's wire format. A Bedrock credential is either a Bedrock API key, sent as a bearer token, or
 * an AWS access key ({@code ACCESS_KEY_ID:SECRET_ACCESS_KEY[:SESSION_TOKEN]}), which signs each request with
 * SigV4: that needs the final URL, headers and body, so it happens in {@link #sign}, which the upstream client
 * calls once the request is complete, not in {@link #applyCredential}.
 *
 * <p>Errors are {@code {"message": "..."}}; Bedrock names the error's type in an {@code x-amzn-ErrorType} header
 * (see {@link #errorType}), which a body cannot carry. Inside a stream, an error is an event-stream exception
 * frame.
 *
 * <p>Requests are signed for the region the provider's config names, or else for the one its runtime host names:
 * a VPC endpoint, a proxy or a local stand-in names none, so it needs the configured one.
 */
public final class BedrockFormat implements WireFormat {
    public static final String TYPE = "bedrock";
    /** Signs for the region of the runtime host each request goes to. */
    public static final BedrockFormat INSTANCE = new BedrockFormat(null);
    /** The header naming an error's type on Bedrock's error responses. */
    public static final String ERROR_TYPE_HEADER = "x-amzn-ErrorType";
    /** The name the runtime API is signed for. */
    static final String SIGNING_SERVICE = "bedrock";

    private static final String RUNTIME_HOST_PREFIX = "bedrock-runtime.";
    private static final String RUNTIME_FIPS_HOST_PREFIX = "bedrock-runtime-fips.";

    /** The configured signing region, or null to read it from the host. */
    private final String region;

    private BedrockFormat(String region) {
        this.region = region;
    }

    /** The format of a provider configured with this region: every request is signed for it, whatever its host. */
    public static BedrockFormat inRegion(String region) {
        return region == null ? INSTANCE : new BedrockFormat(region);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public List<String> credentialHeaders() {
        return List.of("authorization", "x-amz-security-token", "x-amz-date");
    }

    /**
     * A Bedrock API key goes on as {@code Authorization: Bearer}. An access key cannot sign here, without the
     * body: the client's own credential headers are removed, and {@link #sign} adds the signature later.
     */
    @Override
    public void applyCredential(MultiMap upstreamHeaders, Secret apiKey) {
        credentialHeaders().forEach(upstreamHeaders::remove);
        if (!AwsCredentials.isAccessKey(apiKey)) {
            upstreamHeaders.set("authorization", "Bearer " + apiKey.reveal());
        }
    }

    /** Signs each request to Bedrock as it is sent, in the configured region or else the one its host names. */
    @Override
    public void authorize(HttpMethod method, String url, MultiMap upstreamHeaders, Buffer body, Secret apiKey) {
        sign(method, url, upstreamHeaders, body, apiKey, region, Instant.now());
    }

    /**
     * Authenticates a complete request to Bedrock, setting its credential headers: {@code Authorization: Bearer}
     * for an API key, a SigV4 signature ({@code Authorization}, {@code X-Amz-Date} and, for temporary credentials,
     * {@code X-Amz-Security-Token}) for an access key. Call it with exactly the URL, headers and body that will be
     * sent, and send them unchanged: the signature covers {@code content-type} and every {@code x-amz-*} header
     * present, and the Host the URL names. Other headers are left out of it, so that what the HTTP client adds or
     * rewrites (content-length, user-agent, accept-encoding…) cannot break it.
     *
     * @param region the AWS region, or null to read it from the URL's host ({@link #regionOf})
     * @param now    the signing time; AWS refuses signatures more than 5 minutes off its clock
     * @throws IllegalArgumentException when the region is null and the host does not name one
     */
    public void sign(HttpMethod method, String url, MultiMap headers, Buffer body, Secret credentials, String region,
                     Instant now) {
        credentialHeaders().forEach(headers::remove);
        if (!AwsCredentials.isAccessKey(credentials)) {
            headers.set("authorization", "Bearer " + credentials.reveal());
            return;
        }
        String signingRegion = region != null ? region : regionOf(URI.create(url).getHost()).orElseThrow(
                () -> new IllegalArgumentException("No AWS region in the host of " + url + ": configure one"));
        Map<String, List<String>> signed = new LinkedHashMap<>();
        for (String name : headers.names()) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.equals("content-type") || lower.startsWith("x-amz-")) {
                signed.put(name, headers.getAll(name));
            }
        }
        Map<String, String> added = SigV4Signer.sign(method.name(), url, signed,
                body == null ? new byte[0] : body.getBytes(), AwsCredentials.parse(credentials), signingRegion,
                SIGNING_SERVICE, now);
        added.forEach(headers::set);
    }

    /**
     * The region a Bedrock runtime host names: {@code bedrock-runtime.<region>.amazonaws.com} (also the FIPS
     * {@code bedrock-runtime-fips.} hosts and China's {@code .amazonaws.com.cn}); empty for any other host.
     */
    public static Optional<String> regionOf(String host) {
        if (host == null) {
            return Optional.empty();
        }
        String lower = host.toLowerCase(Locale.ROOT);
        String rest;
        if (lower.startsWith(RUNTIME_HOST_PREFIX)) {
            rest = lower.substring(RUNTIME_HOST_PREFIX.length());
        } else if (lower.startsWith(RUNTIME_FIPS_HOST_PREFIX)) {
            rest = lower.substring(RUNTIME_FIPS_HOST_PREFIX.length());
        } else {
            return Optional.empty();
        }
        int dot = rest.indexOf('.');
        if (dot <= 0) {
            return Optional.empty();
        }
        String domain = rest.substring(dot + 1);
        if (!domain.equals("amazonaws.com") && !domain.equals("amazonaws.com.cn")) {
            return Optional.empty();
        }
        return Optional.of(rest.substring(0, dot));
    }

    @Override
    public Buffer errorBody(GatewayError error) {
        return Buffer.buffer(Json.write(errorObject(error)));
    }

    /** The value for {@link #ERROR_TYPE_HEADER} on a response carrying {@link #errorBody} for this error. */
    public static String errorType(GatewayError error) {
        return BedrockErrors.errorType(error);
    }

    /**
     * The error as one AWS event-stream exception frame, which a Bedrock stream client (the AWS SDKs) raises as
     * the named exception: headers {@code :message-type exception}, {@code :exception-type} (one of the five a
     * ConverseStream documents) and {@code :content-type application/json}, payload {@code {"message": ...}}.
     */
    @Override
    public Buffer streamErrorEvent(GatewayError error) {
        Map<String, HeaderValue> headers = new LinkedHashMap<>();
        headers.put(":message-type", HeaderValue.fromString("exception"));
        headers.put(":exception-type", HeaderValue.fromString(BedrockErrors.streamExceptionType(error)));
        headers.put(":content-type", HeaderValue.fromString("application/json"));
        Message frame = new Message(headers, Json.write(errorObject(error)));
        return Buffer.buffer(frame.toByteBuffer().array());
    }

    private static ObjectNode errorObject(GatewayError error) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("message", error.message());
        return body;
    }
}
