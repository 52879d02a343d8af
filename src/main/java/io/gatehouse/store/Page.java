package io.gatehouse.store;

import java.util.List;

/**
 * One page of a list, newest first.
 *
 * @param total how many items match in all, across pages
 */
public record Page<T>(List<T> items, long total, int limit, int offset) {
    public static final int MAX_LIMIT = 500;

    public Page {
        items = List.copyOf(items);
    }

    public boolean hasMore() {
        return offset + items.size() < total;
    }
}
