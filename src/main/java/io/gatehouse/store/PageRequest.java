package io.gatehouse.store;

import java.util.Locale;

/**
 * What a list call asks for.
 *
 * @param search a case-insensitive substring of the name; null or blank for all
 */
public record PageRequest(String search, int limit, int offset) {
    public static final int DEFAULT_LIMIT = 50;

    public PageRequest {
        if (limit < 1 || limit > Page.MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + Page.MAX_LIMIT);
        }
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative");
        }
        search = search == null || search.isBlank() ? null : search.trim();
    }

    public static PageRequest first(int limit) {
        return new PageRequest(null, limit, 0);
    }

    /** A LIKE pattern matching the search text anywhere, its own % and _ taken literally (escape character \). */
    String likePattern() {
        String escaped = search.toLowerCase(Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
        return "%" + escaped + "%";
    }
}
