package io.gatehouse.store;

import io.gatehouse.store.crypto.MasterKey;
import io.gatehouse.store.crypto.SecretCipher;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.security.SecureRandom;
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

    protected static String everythingStored(TestStore store) throws Exception {
        return store.everythingStored();
    }
}
