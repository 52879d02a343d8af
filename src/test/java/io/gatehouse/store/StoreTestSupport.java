package io.gatehouse.store;

import io.gatehouse.store.crypto.MasterKey;
import io.gatehouse.store.crypto.SecretCipher;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** Repository tests: one Vert.x per class, and per test an empty store of the kind the test is run for. */
abstract class StoreTestSupport {
    protected static Vertx vertx;

    @TempDir
    protected Path tempDir;

    private final List<AutoCloseable> opened = new ArrayList<>();

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() {
        vertx.close().await();
    }

    @AfterEach
    void closeStores() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
    }

    protected TestStore newStore(StorageUrl.Kind kind) throws Exception {
        TestStore store = TestStore.create(kind, tempDir);
        opened.add(store);
        return store;
    }

    protected Database open(TestStore store) {
        Database database = store.open(vertx);
        opened.add(database);
        return database;
    }

    protected static SecretCipher randomCipher() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return new SecretCipher(MasterKey.fromBytes(key));
    }

    protected static ProjectRepository projects(Database database, SecretCipher cipher) {
        return new ProjectRepository(database, cipher, Clock.systemUTC());
    }

    /**
     * Everything the store holds, as text: the SQLite file and its WAL byte for byte, or every row of every
     * table in the PostgreSQL schema.
     */
    protected static String everythingStored(TestStore store) throws Exception {
        if (store.schema() == null) {
            StringBuilder bytes = new StringBuilder();
            Path file = store.url.sqliteFile();
            for (Path part : List.of(file, Path.of(file + "-wal"))) {
                if (Files.exists(part)) {
                    bytes.append(new String(Files.readAllBytes(part), StandardCharsets.ISO_8859_1));
                }
            }
            return bytes.toString();
        }
        StringBuilder rows = new StringBuilder();
        try (Connection connection = store.rawConnection(); Statement statement = connection.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet names = statement.executeQuery(
                    "SELECT table_name FROM information_schema.tables WHERE table_schema = '" + store.schema() + "'")) {
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
}
