package io.gatehouse.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An empty store for one test, on SQLite (a file in the test's temp dir) or on the real PostgreSQL at
 * 127.0.0.1:5432 (a schema of its own in database {@code test}, dropped on close), so parallel runs never meet.
 */
public final class TestStore implements AutoCloseable {
    static final String POSTGRES_JDBC = "jdbc:postgresql://127.0.0.1:5432/test";
    private static final String POSTGRES_USER = "postgres";

    public final StorageUrl url;
    private final String schema;

    private TestStore(StorageUrl url, String schema) {
        this.url = url;
        this.schema = schema;
    }

    public static TestStore create(StorageUrl.Kind kind, Path tempDir) throws SQLException {
        if (kind == StorageUrl.Kind.SQLITE) {
            return new TestStore(StorageUrl.parse("sqlite:" + tempDir.resolve("data/gatehouse.db")), null);
        }
        String schema = "gh_test_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection connection = adminConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA " + schema);
        }
        return new TestStore(StorageUrl.parse("postgresql://" + POSTGRES_USER + "@127.0.0.1:5432/test?currentSchema=" + schema), schema);
    }

    public Database open(Vertx vertx) {
        return Database.open(vertx, url, 8);
    }

    /** A plain JDBC connection to the same store, for looking at (and tampering with) raw rows. */
    public Connection rawConnection() throws SQLException {
        if (schema == null) {
            return DriverManager.getConnection(url.jdbcUrl());
        }
        Connection connection = adminConnection();
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET search_path TO " + schema);
        }
        return connection;
    }

    public String schema() {
        return schema;
    }

    private static Connection adminConnection() throws SQLException {
        return DriverManager.getConnection(POSTGRES_JDBC, POSTGRES_USER, null);
    }

    @Override
    public void close() throws SQLException {
        if (schema != null) {
            try (Connection connection = adminConnection(); Statement statement = connection.createStatement()) {
                statement.execute("DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }

    /** The cause a future failed with; an assertion error when it succeeds. */
    public static Throwable failure(Future<?> future) {
        try {
            future.await(30, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("the store did not answer within 30 s", e);
        } catch (RuntimeException e) {
            return future.cause();
        }
        throw new AssertionError("expected a failure, got " + future.result());
    }

    public static <T> T await(Future<T> future) {
        try {
            return future.await(30, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("the store did not answer within 30 s", e);
        }
    }
}
