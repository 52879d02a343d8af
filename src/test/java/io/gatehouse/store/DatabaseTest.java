package io.gatehouse.store;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static io.gatehouse.store.TestStore.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DatabaseTest {
    private static Vertx vertx;

    @TempDir
    Path tempDir;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() {
        vertx.close().await();
    }

    @ParameterizedTest
    @EnumSource(StorageUrl.Kind.class)
    void migrationsCreateTheSchemaOnAnEmptyDatabaseAndReopeningChangesNothing(StorageUrl.Kind kind) throws Exception {
        try (TestStore store = TestStore.create(kind, tempDir)) {
            store.open(vertx).close();
            List<String> firstHistory = history(store);
            store.open(vertx).close();

            assertThat(firstHistory).containsExactly("1 tenancy true");
            assertThat(history(store)).isEqualTo(firstHistory);
            try (Connection connection = store.rawConnection(); Statement statement = connection.createStatement()) {
                for (String table : List.of("projects", "project_provider_keys", "virtual_keys", "audit_log", "audit_head")) {
                    statement.executeQuery("SELECT COUNT(*) FROM " + table).close();
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(StorageUrl.Kind.class)
    void jdbcRunsOnADatabaseWorkerAndTheEventLoopGetsAFuture(StorageUrl.Kind kind) throws Exception {
        try (TestStore store = TestStore.create(kind, tempDir); Database database = store.open(vertx)) {
            Promise<String> callerThread = Promise.promise();
            Future<String> workerThread = Future.future(done -> vertx.runOnContext(ignored -> {
                callerThread.complete(Thread.currentThread().getName());
                database.run(connection -> Thread.currentThread().getName()).onComplete(done);
            }));

            assertThat(await(callerThread.future())).contains("eventloop");
            assertThat(await(workerThread)).startsWith("gatehouse-db-");
        }
    }

    @ParameterizedTest
    @EnumSource(StorageUrl.Kind.class)
    void aFailedTransactionLeavesNothingBehind(StorageUrl.Kind kind) throws Exception {
        try (TestStore store = TestStore.create(kind, tempDir); Database database = store.open(vertx)) {
            Future<Void> failed = database.inTransaction(connection -> {
                try (Statement statement = connection.createStatement()) {
                    statement.executeUpdate("INSERT INTO projects (id, name, is_active, created_at, updated_at) VALUES ('p1', 'one', TRUE, 1, 1)");
                    statement.executeUpdate("INSERT INTO projects (id, name, is_active, created_at, updated_at) VALUES ('p1', 'dup', TRUE, 1, 1)");
                }
                return null;
            });

            assertThat(TestStore.failure(failed)).isInstanceOf(StorageException.class);
            long projects = await(database.run(connection -> count(connection, "projects")));
            assertThat(projects).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(value = StorageUrl.Kind.class, names = "SQLITE")
    void sqliteRunsInWalModeWithForeignKeysInAPrivateDirectoryAndFile(StorageUrl.Kind kind) throws Exception {
        try (TestStore store = TestStore.create(kind, tempDir); Database database = store.open(vertx)) {
            Path file = store.url.sqliteFile();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
            String journalMode = await(database.run(connection -> pragma(connection, "journal_mode")));
            String foreignKeys = await(database.run(connection -> pragma(connection, "foreign_keys")));
            String busyTimeout = await(database.run(connection -> pragma(connection, "busy_timeout")));
            assertThat(journalMode).isEqualTo("wal");
            assertThat(foreignKeys).isEqualTo("1");
            assertThat(busyTimeout).isEqualTo("10000");
        }
    }

    @Test
    void anUnreachableDatabaseIsReportedWithoutThePassword() {
        // Port 1 on loopback: nothing listens there, so the connection is refused at once.
        StorageUrl url = StorageUrl.parse("postgresql://gatehouse:pw-not-for-logs@127.0.0.1:1/gatehouse");

        assertThatThrownBy(() -> Database.open(vertx, url, 1))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("cannot open the database postgresql://127.0.0.1:1/gatehouse")
                .hasMessageNotContaining("pw-not-for-logs");
    }

    private static List<String> history(TestStore store) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection connection = store.rawConnection(); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT version, description, success FROM flyway_schema_history ORDER BY installed_rank")) {
            while (result.next()) {
                rows.add(result.getString(1) + " " + result.getString(2) + " " + result.getBoolean(3));
            }
        }
        return rows;
    }

    private static long count(Connection connection, String table) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static String pragma(Connection connection, String name) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery("PRAGMA " + name)) {
            rows.next();
            return rows.getString(1);
        }
    }
}
