package io.gatehouse.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A location in the configuration tree, printed the way users write it: {@code providers[1].name}.
 *
 * @param elements property names ({@link String}) and list indexes ({@link Integer}), from the root down
 */
public record ConfigPath(List<Object> elements) {
    public static final ConfigPath ROOT = new ConfigPath(List.of());

    private static final List<String> SECRET_WORDS = List.of("key", "token", "secret", "password");

    public ConfigPath {
        elements = List.copyOf(elements);
    }

    public ConfigPath child(String name) {
        return append(name);
    }

    public ConfigPath index(int index) {
        return append(index);
    }

    /** True when the last property name suggests a credential, so its value must never be shown. */
    public boolean isSecret() {
        for (int i = elements.size() - 1; i >= 0; i--) {
            if (elements.get(i) instanceof String name) {
                return isSecretName(name);
            }
        }
        return false;
    }

    /** Names such as {@code api_key}, {@code access_token} or {@code password} hold credentials. */
    public static boolean isSecretName(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return SECRET_WORDS.stream().anyMatch(lower::contains);
    }

    private ConfigPath append(Object element) {
        List<Object> longer = new ArrayList<>(elements);
        longer.add(element);
        return new ConfigPath(longer);
    }

    /** {@code server.port}, {@code providers[1].name}; the root prints as {@code (root)}. */
    @Override
    public String toString() {
        if (elements.isEmpty()) {
            return "(root)";
        }
        StringBuilder text = new StringBuilder();
        for (Object element : elements) {
            if (element instanceof Integer index) {
                text.append('[').append(index).append(']');
            } else {
                text.append(text.isEmpty() ? "" : ".").append(element);
            }
        }
        return text.toString();
    }
}
