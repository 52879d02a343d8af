package io.gatehouse.manage;

import java.util.Map;

/**
 * A management request refused for a reason the client can fix, answered as {@code {"error": message, "code": code}}
 * (llm-proxy's shape) with a JSON content type. The message goes to the client: never a secret.
 */
final class ManageException extends RuntimeException {
    private final int status;
    private final String code;
    private final Map<String, String> headers;

    ManageException(int status, String code, String message) {
        this(status, code, message, Map.of());
    }

    ManageException(int status, String code, String message, Map<String, String> headers) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.headers = headers;
    }

    static ManageException badRequest(String message) {
        return new ManageException(400, "invalid_request", message);
    }

    static ManageException notFound(String message) {
        return new ManageException(404, "not_found", message);
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }

    Map<String, String> headers() {
        return headers;
    }
}
