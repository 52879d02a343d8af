package io.gatehouse.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
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

    /**
     * Everything the store holds, as text: the SQLite file and its WAL byte for byte, or every row of every
     * table in the PostgreSQL schema.
     */
    public String everythingStored() throws Exception {
        if (schema == null) {
            StringBuilder bytes = new StringBuilder();
            Path file = url.sqliteFile();
            for (Path part : List.of(file, Path.of(file + "-wal"))) {
                if (Files.exists(part)) {
                    bytes.append(new String(Files.readAllBytes(part), StandardCharsets.ISO_8859_1));
                }
            }
            return bytes.toString();
        }
        StringBuilder rows = new StringBuilder();
        try (Connection connection = rawConnection(); Statement statement = connection.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet names = statement.executeQuery(
                    "SELECT table_name FROM information_schema.tables WHERE table_schema = '" + schema + "'")) {
                while (names.next()) {
                    tables.add(names.getString(1));
                }
            }
            assertTablesFound(tables);
            for (String table : tables) {
                try (ResultSet all = statement.executeQuery("SELECT t::text FROM " + table + " t")) {
                    while (all.next()) {
                        rows.append(all.getString(1)).append('\n');
                    }
                }
            }
        }
        return rows.toString();
    }

    private static void assertTablesFound(List<String> tables) {
        if (!tables.contains("project_provider_keys") || !tables.contains("virtual_keys")) {
            throw new AssertionError("the schema scan found no tenancy tables: " + tables);
        }
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
