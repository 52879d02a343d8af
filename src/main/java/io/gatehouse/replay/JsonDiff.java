package io.gatehouse.replay;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A structural comparison of two JSON documents that names each changed value by its path ({@code $.a.b[2].c}).
 * Fields that change on every call (ids, timestamps) are ignored: a bare name anywhere it appears, a path
 * ({@code usage.total_tokens}, {@code $.choices[0].message.content}) in that one place. Numbers compare by value,
 * so {@code 1} and {@code 1.0} are equal, and an absent field equals a null one.
 */
final class JsonDiff {
    /** Fields that identify or stamp one response and so differ on every call. */
    static final Set<String> VOLATILE_FIELDS = Set.of("id", "created", "created_at", "system_fingerprint");
    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final int MAX_RENDERED = 80;

    private final Set<String> ignoredNames = new LinkedHashSet<>();
    private final Set<String> ignoredPaths = new LinkedHashSet<>();

    /** Ignores the volatile fields and each of {@code extra}: a bare name anywhere, a path in one place. */
    JsonDiff(Iterable<String> extra) {
        ignoredNames.addAll(VOLATILE_FIELDS);
        for (String field : extra) {
            String trimmed = field.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            if (trimmed.startsWith("$")) {
                ignoredPaths.add(trimmed);
            } else if (trimmed.contains(".") || trimmed.contains("[")) {
                ignoredPaths.add("$." + trimmed);
            } else {
                ignoredNames.add(trimmed);
            }
        }
    }

    List<Difference> compare(JsonNode recorded, JsonNode live) {
        List<Difference> differences = new ArrayList<>();
        compare("$", recorded, live, differences);
        return differences;
    }

    private void compare(String path, JsonNode recorded, JsonNode live, List<Difference> differences) {
        if (ignoredPaths.contains(path)) {
            return;
        }
        if (recorded.isObject() && live.isObject()) {
            Set<String> names = new LinkedHashSet<>();
            recorded.fieldNames().forEachRemaining(names::add);
            live.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                if (!ignoredNames.contains(name)) {
                    compareChild(path + member(name), recorded.get(name), live.get(name), differences);
                }
            }
        } else if (recorded.isArray() && live.isArray()) {
            for (int index = 0; index < Math.max(recorded.size(), live.size()); index++) {
                compareChild(path + "[" + index + "]", recorded.get(index), live.get(index), differences);
            }
        } else if (!equal(recorded, live)) {
            differences.add(new Difference(path, render(recorded), render(live)));
        }
    }

    private void compareChild(String path, JsonNode recorded, JsonNode live, List<Difference> differences) {
        if (ignoredPaths.contains(path)) {
            return;
        }
        if (recorded == null || live == null) {
            // An absent field and a null one say the same; APIs add nullable fields as they grow.
            JsonNode present = recorded == null ? live : recorded;
            if (present != null && !present.isNull()) {
                differences.add(new Difference(path, render(recorded), render(live)));
            }
        } else {
            compare(path, recorded, live, differences);
        }
    }

    private static boolean equal(JsonNode recorded, JsonNode live) {
        if (recorded.isNumber() && live.isNumber()) {
            return recorded.decimalValue().compareTo(live.decimalValue()) == 0;
        }
        return recorded.equals(live);
    }

    private static String member(String name) {
        return PLAIN_NAME.matcher(name).matches() ? "." + name
                : "[\"" + name.replace("\\", "\\\\").replace("\"", "\\\"") + "\"]";
    }

    /** A value as JSON text, cut short: a changed paragraph of content should not flood the report. */
    static String render(JsonNode value) {
        if (value == null) {
            return Difference.ABSENT;
        }
        String text = value.toString();
        return text.length() <= MAX_RENDERED ? text : text.substring(0, MAX_RENDERED - 1) + "…";
    }
}
