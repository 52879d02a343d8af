package io.gatehouse.recording;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.gatehouse.logging.SecretRedactor;
import io.gatehouse.pipeline.Json;
import io.vertx.core.MultiMap;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What recorders hide before anything reaches a file. Every recorder masks the gateway's registered keys and
 * anything shaped like a key ({@link SecretRedactor}) in every string it writes; the message logger, with
 * {@code redact_credentials}, also replaces the seed's credential patterns by {@code [REDACTED]}; header values of
 * the well-known credential headers become {@code [REDACTED]}.
 */
final class Redaction {
    static final String REDACTED = "[REDACTED]";

    /** The credential headers of the http_recorder contract. */
    static final Set<String> SENSITIVE_HEADERS = Set.of("authorization", "x-api-key", "api-key", "x-auth-token",
            "x-access-token", "cookie", "set-cookie", "proxy-authorization", "www-authenticate",
            "x-amz-security-token", "x-csrf-token");

    /**
     * The seed message logger's credential patterns. Group {@code value} is what is replaced, so the words that say
     * what it was ({@code Bearer}, {@code api_key=}) stay readable.
     */
    private static final List<CredentialPattern> CREDENTIAL_PATTERNS = List.of(
            new CredentialPattern("(?<value>sk-[A-Za-z0-9_-]{20,})", "sk-"),
            new CredentialPattern("(?i)api[_-]?key[\"']?\\s*[:=]\\s*[\"']?(?<value>[A-Za-z0-9._~+/=-]{20,})", "api"),
            new CredentialPattern("(?i)bearer\\s+(?<value>[A-Za-z0-9._~+/=-]{20,})", "bearer"),
            new CredentialPattern("(?<value>AKIA[A-Z0-9]{16})", "akia"),
            new CredentialPattern("(?i)(?:password|secret|token|credential)s?[\"']?\\s*[:=]\\s*[\"']?(?<value>[^\\s\"',;}]{8,})",
                    "password", "secret", "token", "credential"));

    /**
     * A pattern and the words one of which any match contains, in lower case: a text without them is not scanned,
     * which spares the regex on nearly every string a recorder writes. The patterns compare ASCII letters in any
     * case (or in one), so every match holds one of the words in the text lower-cased.
     */
    private record CredentialPattern(Pattern pattern, List<String> requiredWords) {
        CredentialPattern(String regex, String... requiredWords) {
            this(Pattern.compile(regex), List.of(requiredWords));
        }

        /**
         * Whether the text, given lower-cased, may hold a match. Lower-casing it once for all the patterns' eight
         * words costs less than looking for each word in any case: in prose, the first letters of those words
         * ({@code s}, {@code a}, {@code p}, {@code t}, {@code c}) are everywhere, and each place needed a comparison.
         */
        boolean mayMatch(String lowerCaseText) {
            for (String word : requiredWords) {
                if (lowerCaseText.contains(word)) {
                    return true;
                }
            }
            return false;
        }
    }

    private Redaction() {
    }

    /** Registered keys and key shapes masked: what every recorder applies to every string. */
    static String secrets(String text) {
        return SecretRedactor.redact(text);
    }

    /** The seed's credential patterns replaced by [REDACTED], then {@link #secrets}. */
    static String credentials(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String result = text;
        String lowerCase = text.toLowerCase(Locale.ROOT);
        for (CredentialPattern credential : CREDENTIAL_PATTERNS) {
            if (!credential.mayMatch(lowerCase)) {
                continue;
            }
            Matcher matcher = credential.pattern().matcher(result);
            if (!matcher.find()) {
                continue;
            }
            StringBuilder out = new StringBuilder(result.length());
            int from = 0;
            do {
                out.append(result, from, matcher.start("value")).append(REDACTED);
                from = matcher.end("value");
            } while (matcher.find());
            result = out.append(result, from, result.length()).toString();
            lowerCase = result.toLowerCase(Locale.ROOT);
        }
        return secrets(result);
    }

    /**
     * The tree with {@code redact} applied to every string value (names are left alone). Unchanged subtrees are
     * shared rather than copied, and the input is never modified, so it may be a request's shared JSON.
     */
    static JsonNode strings(JsonNode node, UnaryOperator<String> redact) {
        if (node == null) {
            return null;
        }
        if (node.isTextual()) {
            String text = node.textValue();
            String redacted = redact.apply(text);
            return redacted.equals(text) ? node : TextNode.valueOf(redacted);
        }
        if (node instanceof ObjectNode object) {
            ObjectNode copy = null;
            for (Map.Entry<String, JsonNode> field : object.properties()) {
                JsonNode value = field.getValue();
                JsonNode redacted = strings(value, redact);
                if (redacted != value && copy == null) {
                    copy = object.objectNode();
                    for (Map.Entry<String, JsonNode> earlier : object.properties()) {
                        if (earlier.getKey().equals(field.getKey())) {
                            break;
                        }
                        copy.set(earlier.getKey(), earlier.getValue());
                    }
                }
                if (copy != null) {
                    copy.set(field.getKey(), redacted);
                }
            }
            return copy == null ? node : copy;
        }
        if (node instanceof ArrayNode array) {
            ArrayNode copy = null;
            for (int i = 0; i < array.size(); i++) {
                JsonNode value = array.get(i);
                JsonNode redacted = strings(value, redact);
                if (redacted != value && copy == null) {
                    copy = array.arrayNode(array.size());
                    for (int j = 0; j < i; j++) {
                        copy.add(array.get(j));
                    }
                }
                if (copy != null) {
                    copy.add(redacted);
                }
            }
            return copy == null ? node : copy;
        }
        return node;
    }

    /**
     * {@code value} as JSON bytes, written by {@code writer} with {@code redact} applied to every string value (names
     * are left alone): the bytes {@link #strings} of its tree would give, straight from the value.
     */
    static byte[] json(ObjectWriter writer, Object value, UnaryOperator<String> redact) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(1024);
        try (JsonGenerator generator = new RedactingGenerator(writer.createGenerator(bytes), redact)) {
            writer.writeValue(generator, value);
        }
        return bytes.toByteArray();
    }

    /**
     * The headers as lower-case name to value, repeated headers joined by ", ". A copy, so that it may leave the
     * event loop; redacting it ({@link #headers}) is left to the writer thread.
     */
    static Map<String, String> collect(MultiMap headers) {
        Map<String, String> copy = new LinkedHashMap<>();
        Iterator<Map.Entry<String, String>> entries = headers.iterator();
        while (entries.hasNext()) {
            Map.Entry<String, String> header = entries.next();
            copy.merge(header.getKey().toLowerCase(Locale.ROOT), header.getValue(), (first, next) -> first + ", " + next);
        }
        return copy;
    }

    /**
     * Collected headers as they are written, a JSON object in their order: credential headers {@code [REDACTED]}
     * when asked, every other value with {@link #secrets} masked.
     */
    static ObjectNode headers(Map<String, String> collected, boolean redactSensitive) {
        ObjectNode redacted = Json.MAPPER.createObjectNode();
        collected.forEach((name, value) ->
                redacted.put(name, redactSensitive && SENSITIVE_HEADERS.contains(name) ? REDACTED : secrets(value)));
        return redacted;
    }
}
