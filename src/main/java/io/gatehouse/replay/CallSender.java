package io.gatehouse.replay;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Sends recorded requests, one at a time, from the replaying command's own thread (never an event loop), and reads
 * each response whole. Redirects come back as they are, as the gateway passes them.
 */
final class CallSender implements AutoCloseable {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** A live LLM call may think for minutes before it answers. */
    private static final Duration RESPONSE_TIMEOUT = Duration.ofMinutes(10);

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    /**
     * @param base         scheme, host, port and any base path, without a trailing slash
     * @param pathAndQuery starts with a slash
     * @throws IOException when no complete response came (refused, reset, cut mid-body); the message says which
     * @throws IllegalArgumentException when the path or a header cannot be sent as it was recorded
     */
    LiveResponse send(String base, String method, String pathAndQuery, Map<String, String> headers, byte[] body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + pathAndQuery))
                .timeout(RESPONSE_TIMEOUT)
                .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        Map<String, String> responseHeaders = new LinkedHashMap<>();
        response.headers().map().forEach((name, values) -> {
            if (!values.isEmpty()) {
                responseHeaders.put(name.toLowerCase(Locale.ROOT), values.get(0));
            }
        });
        return new LiveResponse(response.statusCode(), responseHeaders, response.body());
    }

    @Override
    public void close() {
        client.close();
    }
}
