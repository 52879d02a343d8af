package io.gatehouse.store;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Where the durable state lives, parsed from {@code storage.url}: {@code sqlite:PATH} (embedded, the default) or
 * {@code postgresql://user[:password]@host[:port]/database[?parameters]}. The password never appears in
 * {@link #toString()} or in an error, so a URL can be logged.
 *
 * @param sqliteFile the database file for SQLite; null for PostgreSQL
 * @param jdbcUrl    the JDBC URL, without credentials
 * @param user       the PostgreSQL user; null for SQLite
 * @param password   the PostgreSQL password, or null when the URL had none
 */
public record StorageUrl(Kind kind, Path sqliteFile, String jdbcUrl, String user, String password) {
    public static final String DEFAULT = "sqlite:./data/gatehouse.db";

    public enum Kind { SQLITE, POSTGRESQL }

    private static final String EXPECTED = "expected sqlite:PATH or postgresql://user[:password]@host[:port]/database";

    public static StorageUrl parse(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("storage.url is empty: " + EXPECTED);
        }
        String trimmed = url.trim();
        if (trimmed.startsWith("sqlite:")) {
            String file = trimmed.substring("sqlite:".length());
            if (file.startsWith("//")) {
                // sqlite:///abs/path and sqlite://rel/path are common spellings elsewhere; one form is less surprising.
                throw new IllegalArgumentException("storage.url: write sqlite:PATH (sqlite:./data/gatehouse.db or sqlite:/var/lib/gatehouse/db), not sqlite://");
            }
            if (file.isBlank()) {
                throw new IllegalArgumentException("storage.url: sqlite: needs a file path, " + EXPECTED);
            }
            Path path = Path.of(file).toAbsolutePath().normalize();
            return new StorageUrl(Kind.SQLITE, path, "jdbc:sqlite:" + path, null, null);
        }
        if (trimmed.startsWith("postgresql://") || trimmed.startsWith("postgres://")) {
            return parsePostgres(trimmed);
        }
        throw new IllegalArgumentException("storage.url has an unsupported scheme (" + schemeOf(trimmed) + "): " + EXPECTED);
    }

    private static StorageUrl parsePostgres(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("storage.url is not a valid PostgreSQL URL at index " + e.getIndex() + ": " + EXPECTED);
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("storage.url names no PostgreSQL host: " + EXPECTED);
        }
        String database = uri.getRawPath() == null ? "" : uri.getRawPath().replaceFirst("^/", "");
        if (database.isEmpty() || database.contains("/")) {
            throw new IllegalArgumentException("storage.url names no PostgreSQL database: " + EXPECTED);
        }
        String rawUserInfo = uri.getRawUserInfo();
        if (rawUserInfo == null || rawUserInfo.isEmpty() || rawUserInfo.startsWith(":")) {
            throw new IllegalArgumentException("storage.url names no PostgreSQL user: " + EXPECTED);
        }
        int colon = rawUserInfo.indexOf(':');
        String user = decode(colon < 0 ? rawUserInfo : rawUserInfo.substring(0, colon));
        String password = colon < 0 ? null : decode(rawUserInfo.substring(colon + 1));
        String host = uri.getHost().contains(":") && !uri.getHost().startsWith("[") ? "[" + uri.getHost() + "]" : uri.getHost();
        int port = uri.getPort() < 0 ? 5432 : uri.getPort();
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        return new StorageUrl(Kind.POSTGRESQL, null, "jdbc:postgresql://" + host + ":" + port + "/" + database + query, user, password);
    }

    private static String decode(String part) {
        return URLDecoder.decode(part.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** Only the part before the first colon: the rest may carry a password. */
    private static String schemeOf(String url) {
        int colon = url.indexOf(':');
        return colon < 0 ? "none" : url.substring(0, colon);
    }

    @Override
    public String toString() {
        // The query is left out: PostgreSQL accepts password=… there.
        return kind == Kind.SQLITE ? "sqlite:" + sqliteFile : jdbcUrl.replaceFirst("^jdbc:", "").replaceFirst("\\?.*$", "") + " as " + user;
    }
}
