package io.gatehouse.manage;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.store.Page;
import io.gatehouse.store.PageRequest;

/**
 * Search and paging for the list routes. Lists stay bare JSON arrays, as llm-proxy's scripts expect; the page is
 * chosen with {@code limit} and {@code offset} (or {@code page} and {@code page_size}), and the total comes back in
 * {@code X-Total-Count}.
 */
final class Paging {
    private Paging() {
    }

    static PageRequest request(ManageCall call) {
        int limit = call.queryInt("page_size", call.queryInt("limit", PageRequest.DEFAULT_LIMIT, 1, Page.MAX_LIMIT), 1, Page.MAX_LIMIT);
        int offset = call.query("page") != null
                ? (call.queryInt("page", 1, 1, Integer.MAX_VALUE / Page.MAX_LIMIT) - 1) * limit
                : call.queryInt("offset", 0, 0, Integer.MAX_VALUE);
        return new PageRequest(call.query("search"), limit, offset);
    }

    static Reply listReply(JsonNode items, Page<?> page, String target) {
        return Reply.ok(items, target).withHeader("x-total-count", Long.toString(page.total()));
    }
}
