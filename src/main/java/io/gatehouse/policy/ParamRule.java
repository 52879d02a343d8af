package io.gatehouse.policy;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One {@code param_whitelist} entry: a field path in the JSON body and the patterns its values must match.
 *
 * <p>The path is field names joined by dots ({@code response_format.type}); {@code []} after a name
 * ({@code tools[].function.name}) says the field holds a list. Lists are walked element by element wherever they
 * appear, written or not, so a client cannot slip past a rule by sending a list where one value was expected
 * ({@code stop} covers both {@code "stop":"x"} and {@code "stop":["x","y"]}). A field that is absent or null, at
 * any step of the path, is allowed.
 *
 * <p>Values: a string must match one of the globs; a number matches a pattern that is a number when they are
 * numerically equal ({@code 1} and {@code 1.0}), else a glob over its plain decimal text ({@code 0.*}); a boolean
 * matches {@code true} or {@code false} (or a glob over those words). An object never matches: whitelist its
 * fields instead.
 */
final class ParamRule {
    /** A field path: names of one or more characters other than '.', '[' and ']', each optionally followed by []. */
    static final Pattern FIELD_PATH = Pattern.compile("[^.\\[\\]]+(\\[])?(\\.[^.\\[\\]]+(\\[])?)*");
    private static final Pattern NUMBER = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][-+]?[0-9]+)?");

    private final String path;
    private final String[] fields;
    private final ValuePattern[] patterns;
    private final String allowedText;

    private ParamRule(String path, String[] fields, ValuePattern[] patterns, String allowedText) {
        this.path = path;
        this.fields = fields;
        this.patterns = patterns;
        this.allowedText = allowedText;
    }

    /** @throws IllegalArgumentException when the path is not a field path (config validation reports it first) */
    static ParamRule compile(String path, List<String> patterns) {
        if (!FIELD_PATH.matcher(path).matches()) {
            throw new IllegalArgumentException("param_whitelist: \"" + path
                    + "\" is not a field path such as model, response_format.type or tools[].function.name");
        }
        String[] fields = path.replace("[]", "").split("\\.");
        List<ValuePattern> compiled = new ArrayList<>();
        for (String pattern : patterns) {
            BigDecimal number = NUMBER.matcher(pattern).matches() ? new BigDecimal(pattern) : null;
            compiled.add(new ValuePattern(Glob.compile(pattern), number));
        }
        return new ParamRule(path, fields, compiled.toArray(ValuePattern[]::new), "[" + String.join(", ", patterns) + "]");
    }

    /** Null when every value at this path in {@code body} is allowed, else the message that says which one is not. */
    String violation(JsonNode body) {
        return violation(body, 0);
    }

    private String violation(JsonNode node, int depth) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                String violation = violation(node.get(i), depth);
                if (violation != null) {
                    return violation;
                }
            }
            return null;
        }
        if (depth == fields.length) {
            return matches(node) ? null
                    : "Parameter '" + path + "' value " + shown(node) + " is not allowed. Allowed patterns: " + allowedText;
        }
        return node.isObject() ? violation(node.get(fields[depth]), depth + 1) : null;
    }

    private boolean matches(JsonNode value) {
        for (ValuePattern pattern : patterns) {
            if (pattern.matches(value)) {
                return true;
            }
        }
        return false;
    }

    private static String shown(JsonNode value) {
        if (value.isObject()) {
            return "(an object)";
        }
        return "'" + Messages.shorten(value.isNumber() ? plainNumber(value) : value.asText()) + "'";
    }

    /** {@code 1}, {@code 0.7}, {@code 1000000}: the same text however the client wrote the number. */
    private static String plainNumber(JsonNode number) {
        return number.decimalValue().stripTrailingZeros().toPlainString();
    }

    /** @param number the pattern's value when it reads as a number, else null */
    private record ValuePattern(Glob glob, BigDecimal number) {
        boolean matches(JsonNode value) {
            if (value.isTextual()) {
                return glob.matches(value.textValue());
            }
            if (value.isNumber()) {
                return number != null ? number.compareTo(value.decimalValue()) == 0 : glob.matches(plainNumber(value));
            }
            if (value.isBoolean()) {
                return glob.matches(value.booleanValue() ? "true" : "false");
            }
            return false;
        }
    }
}
