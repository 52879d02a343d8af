package io.gatehouse.pipeline;

import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.PemTrustOptions;

import java.net.URI;
import java.time.Duration;

/**
 * A provider endpoint the gateway forwards to.
 *
 * @param basePath       path prefix of the base URL, without a trailing slash ("" when none)
 * @param apiKey         the gateway's own key for it, or null to pass the client's credential through
 * @param connectTimeout how long to wait for a TCP (and TLS) connection
 * @param firstByteTimeout how long to wait for response headers once the request is sent
 * @param idleTimeout    how long a response body may go without a chunk; a stream that keeps sending never times out
 * @param maxRetries     retries after the first call: of failed connections only when the provider has no
 *                       {@code retry} block, else the default of {@code retry.max_attempts} - 1 (io.gatehouse.resilience)
 * @param http2          whether it is spoken to over HTTP/2 rather than HTTP/1.1
 * @param tls            the certificates an https upstream must chain to, when not the JVM's trusted authorities;
 *                       null for those
 */
public record Upstream(
        String name,
        WireFormat format,
        boolean ssl,
        String host,
        int port,
        String basePath,
        Secret apiKey,
        Duration connectTimeout,
        Duration firstByteTimeout,
        Duration idleTimeout,
        int maxRetries,
        boolean http2,
        ClientSSLOptions tls) {

    public static Upstream of(String name, WireFormat format, URI baseUrl, Secret apiKey,
                              Duration connectTimeout, Duration firstByteTimeout, Duration idleTimeout,
                              int maxRetries, boolean http2, ClientSSLOptions tls) {
        boolean ssl = "https".equalsIgnoreCase(baseUrl.getScheme());
        int port = baseUrl.getPort() > 0 ? baseUrl.getPort() : (ssl ? 443 : 80);
        String path = baseUrl.getRawPath() == null ? "" : baseUrl.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return new Upstream(name, format, ssl, baseUrl.getHost(), port, path, apiKey,
                connectTimeout, firstByteTimeout, idleTimeout, maxRetries, http2, ssl ? tls : null);
    }

    /**
     * TLS settings that trust only the certificates in this PEM file (a {@code ca_file}), or null for none given.
     * One instance per upstream, so its connections share one TLS context. Host names are still verified.
     */
    public static ClientSSLOptions trusting(String caFile) {
        return caFile == null ? null : new ClientSSLOptions()
                .setTrustOptions(new PemTrustOptions().addCertPath(caFile))
                .setHostnameVerificationAlgorithm("HTTPS");
    }

    /** The same endpoint with another key for one call, such as the key of the project a client authenticated for. */
    public Upstream withApiKey(Secret key) {
        return new Upstream(name, format, ssl, host, port, basePath, key, connectTimeout, firstByteTimeout, idleTimeout,
                maxRetries, http2, tls);
    }

    /** The Host header value: the port only when it is not the scheme's default. */
    public String authority() {
        boolean defaultPort = ssl ? port == 443 : port == 80;
        return defaultPort ? host : host + ":" + port;
    }

    public String baseUrl() {
        return (ssl ? "https://" : "http://") + authority() + basePath;
    }
}
