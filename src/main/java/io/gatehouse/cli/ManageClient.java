package io.gatehouse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.pipeline.Json;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;

/** Talks to a running gateway's management API; every failure becomes a {@link ManageFailure} worded for one line. */
final class ManageClient {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /** A failure to report as {@code error: <message>} with exit code 1. */
    static final class ManageFailure extends RuntimeException {
        ManageFailure(String message) {
            super(message, null, false, false);
        }
    }

    /** An answer: its status and its raw body (what {@code --json} prints). */
    record Answer(int status, String body) {
        JsonNode json() {
            try {
                return body.isEmpty() ? Json.MAPPER.nullNode() : Json.MAPPER.readTree(body);
            } catch (IOException e) {
                throw new ManageFailure("the gateway answered with something that is not JSON (HTTP " + status + ")");
            }
        }
    }

    private final String baseUrl;
    private final String token;

    ManageClient(String baseUrl, String token) {
        if (token == null || token.isBlank()) {
            throw new ManageFailure("no management token: pass --management-token or set MANAGEMENT_TOKEN");
        }
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.token = token;
    }

    Answer send(String method, String path, JsonNode body) {
        URI uri;
        try {
            uri = URI.create(baseUrl + path);
        } catch (IllegalArgumentException e) {
            throw new ManageFailure("--manage-api-base-url is not a valid URL: " + baseUrl);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(30))
                .header("authorization", "Bearer " + token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(Json.write(body)));
        if (body != null) {
            request.header("content-type", "application/json");
        }
        HttpResponse<String> response;
        try {
            response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new ManageFailure("cannot reach the management API at " + baseUrl + " (connection refused); is the gateway running?");
        } catch (IOException e) {
            throw new ManageFailure("cannot reach the management API at " + baseUrl + ": " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ManageFailure("interrupted");
        }
        Answer answer = new Answer(response.statusCode(), response.body());
        if (answer.status() >= 300) {
            JsonNode error = answer.body().isEmpty() ? null : safeJson(answer.body());
            String message = error != null && error.hasNonNull("error") ? error.get("error").asText() : "no details";
            throw new ManageFailure(message + " (HTTP " + answer.status() + ")");
        }
        return answer;
    }

    /** {@code ?a=1&b=2} from the non-null values, URL-encoded; empty when there are none. */
    static String query(Map<String, Object> parameters) {
        StringJoiner joined = new StringJoiner("&", "?", "").setEmptyValue("");
        parameters.forEach((name, value) -> {
            if (value != null) {
                joined.add(name + "=" + URLEncoder.encode(value.toString(), StandardCharsets.UTF_8));
            }
        });
        return joined.toString();
    }

    static String segment(String id) {
        return URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static JsonNode safeJson(String body) {
        try {
            return Json.MAPPER.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }
}
