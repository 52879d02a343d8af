package io.gatehouse.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Expands {@code ${VAR}} and {@code ${VAR:-default}} in every string of a configuration tree; a doubled dollar
 * escapes, so {@code $${VAR}} reads as the literal text {@code ${VAR}}. As in the shell, the default applies when
 * the variable is unset or empty.
 *
 * <p>A string that was exactly one reference becomes a number or boolean when its expansion reads as one, so
 * {@code port: ${PORT:-4000}} yields an integer. Keys whose schema type is string are left alone, so an api
 * key that happens to be all digits (or has leading zeros) survives intact.
 */
public final class EnvSubstitution {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern INTEGER = Pattern.compile("-?(0|[1-9][0-9]*)");
    private static final Pattern DECIMAL = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][-+]?[0-9]+)?");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final Map<String, String> env;
    private final Predicate<ConfigPath> isTextKey;

    private EnvSubstitution(Map<String, String> env, Predicate<ConfigPath> isTextKey) {
        this.env = env;
        this.isTextKey = isTextKey;
    }

    /**
     * Returns an expanded copy of {@code tree}.
     *
     * @param isTextKey true for keys that must stay strings after expansion
     * @throws ConfigException naming the key and the variable when a variable without default is unset
     */
    public static JsonNode apply(JsonNode tree, Map<String, String> env, Predicate<ConfigPath> isTextKey) {
        return new EnvSubstitution(env, isTextKey).expand(tree, ConfigPath.ROOT);
    }

    private JsonNode expand(JsonNode node, ConfigPath path) {
        if (node.isObject()) {
            ObjectNode copy = NODES.objectNode();
            node.properties().forEach(entry -> copy.set(entry.getKey(), expand(entry.getValue(), path.child(entry.getKey()))));
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = NODES.arrayNode();
            for (int i = 0; i < node.size(); i++) {
                copy.add(expand(node.get(i), path.index(i)));
            }
            return copy;
        }
        if (!node.isTextual()) {
            return node;
        }
        String text = node.textValue();
        String expanded = expandText(text, path);
        if (isSingleReference(text) && !isTextKey.test(path)) {
            return typed(expanded);
        }
        return NODES.textNode(expanded);
    }

    private String expandText(String text, ConfigPath path) {
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            if (text.startsWith("$${", i)) {
                out.append("${");
                i += 3;
            } else if (text.startsWith("${", i)) {
                int end = text.indexOf('}', i + 2);
                if (end < 0) {
                    throw ConfigException.at(path, "unterminated ${ (write $${ for a literal ${)");
                }
                out.append(resolve(text.substring(i + 2, end), path));
                i = end + 1;
            } else {
                out.append(text.charAt(i++));
            }
        }
        return out.toString();
    }

    /** The value of {@code VAR} or {@code VAR:-default}; the error never echoes the default, which may be a key. */
    private String resolve(String reference, ConfigPath path) {
        int separator = reference.indexOf(":-");
        String name = separator < 0 ? reference : reference.substring(0, separator);
        if (!NAME.matcher(name).matches()) {
            throw ConfigException.at(path, "invalid variable reference: use ${NAME} or ${NAME:-default}"
                    + " with NAME made of letters, digits and _ (write $${ for a literal ${)");
        }
        String value = env.get(name);
        if (separator >= 0) {
            return value == null || value.isEmpty() ? reference.substring(separator + 2) : value;
        }
        if (value == null) {
            throw ConfigException.at(path, "environment variable " + name + " is not set"
                    + " (set it, or write ${" + name + ":-default} to give a default)");
        }
        return value;
    }

    private static boolean isSingleReference(String text) {
        return text.startsWith("${") && text.indexOf('}') == text.length() - 1;
    }

    private static JsonNode typed(String value) {
        if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
            return NODES.booleanNode(Boolean.parseBoolean(value));
        }
        if (INTEGER.matcher(value).matches()) {
            try {
                long number = Long.parseLong(value);
                return number == (int) number ? NODES.numberNode((int) number) : NODES.numberNode(number);
            } catch (NumberFormatException tooLong) {
                return NODES.textNode(value);
            }
        }
        if (DECIMAL.matcher(value).matches()) {
            return NODES.numberNode(Double.parseDouble(value));
        }
        return NODES.textNode(value);
    }
}
