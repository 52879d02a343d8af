package io.gatehouse.auth;

/**
 * "Forget what you cached about this": one key (by hash) or every key of a project. Its wire form on the
 * pub/sub channel is {@code key:<hash>} or {@code project:<id>}.
 */
public record Invalidation(Scope scope, String id) {
    public enum Scope { KEY, PROJECT }

    public static Invalidation key(String keyHash) {
        return new Invalidation(Scope.KEY, keyHash);
    }

    public static Invalidation project(String projectId) {
        return new Invalidation(Scope.PROJECT, projectId);
    }

    String encode() {
        return (scope == Scope.KEY ? "key:" : "project:") + id;
    }

    /** @throws IllegalArgumentException for anything but the two forms {@link #encode()} writes */
    static Invalidation decode(String text) {
        if (text.startsWith("key:") && text.length() > 4) {
            return key(text.substring(4));
        }
        if (text.startsWith("project:") && text.length() > 8) {
            return project(text.substring(8));
        }
        throw new IllegalArgumentException("not an invalidation message");
    }
}
