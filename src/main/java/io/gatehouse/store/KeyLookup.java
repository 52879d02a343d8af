package io.gatehouse.store;

/** A key found by its hash, with its project's active flag read in the same query. */
public record KeyLookup(VirtualKey key, boolean projectActive) {
}
