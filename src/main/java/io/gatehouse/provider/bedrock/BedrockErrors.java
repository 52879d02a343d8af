package io.gatehouse.provider.bedrock;

import io.gatehouse.pipeline.ErrorKind;
import io.gatehouse.pipeline.GatewayError;

import java.util.Locale;

/**
 * Bedrock's error types, both ways. Bedrock names an error in the {@code x-amzn-ErrorType} header of a plain
 * response ({@code ThrottlingException}, optionally followed by {@code :<namespace>}), sometimes in a
 * {@code __type} of its body, and in the
 * {@code :exception-type} header of an event-stream frame ({@code throttlingException}); the body or payload is
 * {@code {"message": "..."}} either way.
 */
final class BedrockErrors {

    private BedrockErrors() {
    }

    /**
     * The gateway's error for one of Bedrock's, keeping Bedrock's own status (424 for a model error, 503 for an
     * unavailable service…) and, as the code, Bedrock's error type.
     *
     * @param status the HTTP status, or 0 inside a stream, where the type alone tells
     * @param type   the error type in either spelling, or null when Bedrock did not say
     */
    static GatewayError toGateway(int status, String type, String message) {
        String normalized = type == null ? "" : stripNamespace(type).toLowerCase(Locale.ROOT);
        String code = type == null ? "bedrock_error" : upperFirst(stripNamespace(type));
        String text = message == null || message.isBlank() ? "Bedrock returned " + code : message;
        ErrorKind kind = switch (normalized) {
            case "validationexception" -> ErrorKind.INVALID_REQUEST;
            case "accessdeniedexception" -> ErrorKind.PERMISSION;
            case "unrecognizedclientexception", "invalidsignatureexception", "expiredtokenexception",
                 "missingauthenticationtokenexception" -> ErrorKind.AUTHENTICATION;
            case "resourcenotfoundexception" -> ErrorKind.NOT_FOUND;
            case "throttlingexception", "servicequotaexceededexception", "modelnotreadyexception" ->
                    ErrorKind.RATE_LIMIT;
            case "modeltimeoutexception" -> ErrorKind.UPSTREAM_TIMEOUT;
            case "serviceunavailableexception" -> ErrorKind.UPSTREAM_UNREACHABLE;
            case "internalserverexception", "modelstreamerrorexception", "modelerrorexception" ->
                    ErrorKind.UPSTREAM_BROKEN;
            default -> kindOfStatus(status);
        };
        int effectiveStatus = status > 0 ? status : defaultStatus(normalized, kind);
        return new GatewayError(kind, effectiveStatus, text, code);
    }

    /** The name Bedrock gives an error of this kind, for {@code x-amzn-ErrorType} ({@code ThrottlingException}). */
    static String errorType(GatewayError error) {
        return switch (error.kind()) {
            case INVALID_REQUEST, REQUEST_TOO_LARGE -> "ValidationException";
            case AUTHENTICATION -> "UnrecognizedClientException";
            case PERMISSION -> "AccessDeniedException";
            case NOT_FOUND -> "ResourceNotFoundException";
            case RATE_LIMIT, RATE_LIMIT_EXCEEDED, BUDGET_EXCEEDED -> "ThrottlingException";
            case UPSTREAM_UNREACHABLE -> "ServiceUnavailableException";
            case UPSTREAM_TIMEOUT -> "ModelTimeoutException";
            case UPSTREAM_BROKEN -> "ModelStreamErrorException";
            case INTERNAL -> "InternalServerException";
        };
    }

    /**
     * The {@code :exception-type} of a ConverseStream exception frame for this error: only the five exceptions a
     * ConverseStream documents, so that the AWS SDKs recognise it.
     */
    static String streamExceptionType(GatewayError error) {
        return switch (error.kind()) {
            case INVALID_REQUEST, REQUEST_TOO_LARGE -> "validationException";
            case RATE_LIMIT, RATE_LIMIT_EXCEEDED, BUDGET_EXCEEDED -> "throttlingException";
            case UPSTREAM_UNREACHABLE -> "serviceUnavailableException";
            case UPSTREAM_BROKEN, UPSTREAM_TIMEOUT -> "modelStreamErrorException";
            case AUTHENTICATION, PERMISSION, NOT_FOUND, INTERNAL -> "internalServerException";
        };
    }

    private static ErrorKind kindOfStatus(int status) {
        return switch (status) {
            case 400 -> ErrorKind.INVALID_REQUEST;
            case 401 -> ErrorKind.AUTHENTICATION;
            case 403 -> ErrorKind.PERMISSION;
            case 404 -> ErrorKind.NOT_FOUND;
            case 408, 504 -> ErrorKind.UPSTREAM_TIMEOUT;
            case 413 -> ErrorKind.REQUEST_TOO_LARGE;
            // Bedrock's status for a model that failed while answering.
            case 424 -> ErrorKind.UPSTREAM_BROKEN;
            case 429 -> ErrorKind.RATE_LIMIT;
            case 502, 503 -> ErrorKind.UPSTREAM_UNREACHABLE;
            default -> status >= 400 && status < 500 ? ErrorKind.INVALID_REQUEST : ErrorKind.UPSTREAM_BROKEN;
        };
    }

    /** Inside a stream there is no status: the one Bedrock documents for the exception. */
    private static int defaultStatus(String normalizedType, ErrorKind kind) {
        return switch (normalizedType) {
            case "internalserverexception" -> 500;
            case "modelstreamerrorexception", "modelerrorexception" -> 424;
            case "serviceunavailableexception" -> 503;
            case "modeltimeoutexception" -> 408;
            default -> kind.status();
        };
    }

    /** {@code ThrottlingException:http://internal.amazon.com/...} or {@code com.amazon.coral#ThrottlingException}. */
    private static String stripNamespace(String type) {
        int colon = type.indexOf(':');
        String name = colon < 0 ? type : type.substring(0, colon);
        return name.substring(name.indexOf('#') + 1).trim();
    }

    private static String upperFirst(String type) {
        return type.isEmpty() ? type : Character.toUpperCase(type.charAt(0)) + type.substring(1);
    }
}
