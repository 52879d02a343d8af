package io.gatehouse.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.pipeline.ErrorKind;
import io.gatehouse.pipeline.GatewayError;
import io.gatehouse.pipeline.Json;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Gemini's error bodies, {@code {"error":{"code","message","status"}}}, read as the gateway's errors. */
final class GeminiErrors {
    /** Enough of a non-JSON body (an HTML page from a proxy) to say what came back, not a whole page. */
    private static final int MAX_RAW_MESSAGE = 300;

    private GeminiErrors() {
    }

    /** The error of a failed response; {@code body} may be anything, JSON or not. */
    static GatewayError fromBody(int status, Buffer body) {
        String text = body == null ? "" : body.toString(StandardCharsets.UTF_8);
        JsonNode root = parse(text);
        // The streaming endpoint without alt=sse answers errors as a JSON array of one error object.
        if (root != null && root.isArray() && !root.isEmpty()) {
            root = root.get(0);
        }
        JsonNode error = root == null ? null : root.get("error");
        if (error != null && error.isObject()) {
            return fromErrorObject(status, error);
        }
        String message = text.isBlank() ? "Gemini answered HTTP " + status + " with no body"
                : "Gemini answered HTTP " + status + ": " + shorten(text.strip());
        return new GatewayError(kindOf(null, status), status, message, null);
    }

    /**
     * The error object inside a body or a stream frame. {@code fallbackStatus} applies when it names no HTTP code
     * (inside a stream the response itself was a 200).
     */
    static GatewayError fromErrorObject(int fallbackStatus, JsonNode error) {
        JsonNode code = error.get("code");
        int status = code != null && code.canConvertToInt() && code.asInt() >= 400 && code.asInt() <= 599
                ? code.asInt() : fallbackStatus;
        String googleStatus = textOrNull(error.get("status"));
        String message = textOrNull(error.get("message"));
        if (message == null || message.isBlank()) {
            message = "Gemini reported " + (googleStatus == null ? "an error" : googleStatus) + " (HTTP " + status + ")";
        }
        ErrorKind kind = badApiKey(error) ? ErrorKind.AUTHENTICATION : kindOf(googleStatus, status);
        return new GatewayError(kind, status, message, googleStatus);
    }

    /** Google answers a bad key with 400 INVALID_ARGUMENT; only the details' reason says it is the key. */
    private static boolean badApiKey(JsonNode error) {
        for (JsonNode detail : error.path("details")) {
            if ("API_KEY_INVALID".equals(detail.path("reason").asText())) {
                return true;
            }
        }
        return false;
    }

    /** Google's canonical status names first, since they are more precise than the HTTP status. */
    private static ErrorKind kindOf(String googleStatus, int status) {
        if (googleStatus != null) {
            switch (googleStatus) {
                case "INVALID_ARGUMENT", "FAILED_PRECONDITION", "OUT_OF_RANGE" -> {
                    return ErrorKind.INVALID_REQUEST;
                }
                case "UNAUTHENTICATED" -> {
                    return ErrorKind.AUTHENTICATION;
                }
                case "PERMISSION_DENIED" -> {
                    return ErrorKind.PERMISSION;
                }
                case "NOT_FOUND" -> {
                    return ErrorKind.NOT_FOUND;
                }
                case "RESOURCE_EXHAUSTED" -> {
                    return ErrorKind.RATE_LIMIT;
                }
                case "UNAVAILABLE" -> {
                    return ErrorKind.UPSTREAM_UNREACHABLE;
                }
                case "DEADLINE_EXCEEDED" -> {
                    return ErrorKind.UPSTREAM_TIMEOUT;
                }
                case "INTERNAL", "UNKNOWN", "DATA_LOSS" -> {
                    return ErrorKind.INTERNAL;
                }
                default -> {
                    // An unknown name: the HTTP status decides.
                }
            }
        }
        return switch (status) {
            case 400, 422 -> ErrorKind.INVALID_REQUEST;
            case 401 -> ErrorKind.AUTHENTICATION;
            case 403 -> ErrorKind.PERMISSION;
            case 404 -> ErrorKind.NOT_FOUND;
            case 413 -> ErrorKind.REQUEST_TOO_LARGE;
            case 429 -> ErrorKind.RATE_LIMIT;
            case 502, 503 -> ErrorKind.UPSTREAM_UNREACHABLE;
            case 504 -> ErrorKind.UPSTREAM_TIMEOUT;
            default -> status >= 500 ? ErrorKind.INTERNAL : ErrorKind.INVALID_REQUEST;
        };
    }

    private static JsonNode parse(String text) {
        String trimmed = text.strip();
        if (trimmed.isEmpty() || (trimmed.charAt(0) != '{' && trimmed.charAt(0) != '[')) {
            return null;
        }
        try {
            return Json.MAPPER.readTree(trimmed);
        } catch (IOException e) {
            return null;
        }
    }

    private static String textOrNull(JsonNode node) {
        return node != null && node.isTextual() ? node.asText() : null;
    }

    private static String shorten(String text) {
        return text.length() <= MAX_RAW_MESSAGE ? text : text.substring(0, MAX_RAW_MESSAGE) + "…";
    }
}
