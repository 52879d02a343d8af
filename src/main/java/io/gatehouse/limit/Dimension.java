package io.gatehouse.limit;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.pipeline.CallPrincipal;
import io.gatehouse.pipeline.ProxyRequest;

/**
 * What a constraint's counters are split by. A call's value comes first from its authenticated
 * {@link CallPrincipal} (the virtual key's id, project and metadata), and only when that has none from what the
 * client sends: an {@code x-gatehouse-feature}, {@code x-gatehouse-user} or {@code x-gatehouse-team} header, else the
 * body's {@code metadata} (OpenAI's top-level {@code user} too). The client's values are unauthenticated: a client
 * can pick any user or team it likes, so limits that must hold against the client belong on key, project or key
 * metadata. A call with no value counts as {@code unknown}, as in SLLMP.
 *
 * @param name  {@code key}, {@code project}, {@code model}, {@code feature}, {@code user}, {@code team} or
 *              {@code meta}
 * @param field the metadata field of a {@code meta:<field>} dimension, else null
 */
record Dimension(String name, String field) {
    static final String UNKNOWN = "unknown";
    static final String FEATURE_HEADER = "x-gatehouse-feature";
    static final String USER_HEADER = "x-gatehouse-user";
    static final String TEAM_HEADER = "x-gatehouse-team";

    /** As config writes it; SLLMP's {@code user_id} is {@code user}, its {@code organization} a metadata field. */
    static Dimension parse(String text) {
        if (text.startsWith("meta:")) {
            return new Dimension("meta", text.substring("meta:".length()));
        }
        return switch (text) {
            case "user_id" -> new Dimension("user", null);
            case "organization" -> new Dimension("meta", "organization");
            case "key", "project", "model", "feature", "user", "team" -> new Dimension(text, null);
            default -> throw new IllegalArgumentException("unknown dimension \"" + text + "\"");
        };
    }

    /** How the dimension is written in counter keys and messages. */
    String label() {
        return field == null ? name : "meta:" + field;
    }

    /** The call's value of this dimension; {@value #UNKNOWN} when it has none. */
    String valueOf(CallPrincipal principal, ProxyRequest request) {
        String value = switch (name) {
            case "key" -> principal == null ? null : principal.keyId();
            case "project" -> principal == null ? null : principal.projectId();
            case "model" -> request.json() == null ? null : text(request.json().path("model"));
            case "feature" -> firstOf(keyMetadata(principal, "feature"), header(request, FEATURE_HEADER),
                    bodyMetadata(request, "feature"));
            case "user" -> firstOf(keyMetadata(principal, "user"), header(request, USER_HEADER),
                    bodyMetadata(request, "user_id"), bodyMetadata(request, "user"),
                    request.json() == null ? null : text(request.json().path("user")));
            case "team" -> firstOf(keyMetadata(principal, "team"), header(request, TEAM_HEADER),
                    bodyMetadata(request, "team"));
            default -> firstOf(keyMetadata(principal, field), bodyMetadata(request, field));
        };
        return value == null ? UNKNOWN : value;
    }

    private static String keyMetadata(CallPrincipal principal, String field) {
        return principal == null ? null : blankToNull(principal.metadata().get(field));
    }

    private static String header(ProxyRequest request, String name) {
        return blankToNull(request.headers().get(name));
    }

    private static String bodyMetadata(ProxyRequest request, String field) {
        return request.json() == null ? null : text(request.json().path("metadata").path(field));
    }

    private static String text(JsonNode node) {
        return node.isTextual() ? blankToNull(node.textValue()) : node.isNumber() ? node.asText() : null;
    }

    private static String firstOf(String... values) {
        for (String value : values) {
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
