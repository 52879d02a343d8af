package io.gatehouse.auth;

import io.gatehouse.store.Database;
import io.gatehouse.store.KeyLookup;
import io.gatehouse.store.NewVirtualKey;
import io.gatehouse.store.Project;
import io.gatehouse.store.ProjectRepository;
import io.gatehouse.store.StorageUrl;
import io.gatehouse.store.TestStore;
import io.gatehouse.store.VirtualKeyRepository;
import io.gatehouse.store.crypto.MasterKey;
import io.gatehouse.store.crypto.SecretCipher;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.gatehouse.store.TestStore.await;
import static org.assertj.core.api.Assertions.assertThat;

/** An issued key is stored as its hash only, and a cached lookup answers on the caller's event loop. */
class VirtualKeyStorageTest {
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
    void theSecretIsNeverStoredOnlyItsHashAndDisplayPrefix(StorageUrl.Kind kind) throws Exception {
        try (TestStore store = TestStore.create(kind, tempDir); Database database = store.open(vertx)) {
            Project project = await(new ProjectRepository(database, new SecretCipher(MasterKey.fromBytes(new byte[32])), Clock.systemUTC())
                    .create("p", Map.of()));
            VirtualKeySecrets.Issued issued = new VirtualKeySecrets().issue();
            await(new VirtualKeyRepository(database, Clock.systemUTC()).create(new NewVirtualKey(project.id(), "k", issued.hash(),
                    issued.displayPrefix(), null, null, List.of(), Map.of())));

            String stored = store.everythingStored();
            assertThat(stored).contains(issued.hash()).contains(issued.displayPrefix());
            assertThat(stored).doesNotContain(issued.secret()).doesNotContain(issued.secret().substring(VirtualKeySecrets.DISPLAY_CHARS));
        }
    }

    @ParameterizedTest
    @EnumSource(StorageUrl.Kind.class)
    void aLookupFromAnEventLoopCompletesOnThatEventLoop(StorageUrl.Kind kind) throws Exception {
        try (TestStore store = TestStore.create(kind, tempDir); Database database = store.open(vertx)) {
            KeyLookupCache cache = new KeyLookupCache(new VirtualKeyRepository(database, Clock.systemUTC())::findByHash,
                    Duration.ofSeconds(30), 100);

            Future<String> threads = Future.future(done -> vertx.runOnContext(ignored -> {
                String caller = Thread.currentThread().getName();
                cache.lookup("0".repeat(64)).onComplete(result -> done.complete(caller + " -> " + Thread.currentThread().getName()));
            }));

            String[] callerAndCallback = await(threads).split(" -> ");
            assertThat(callerAndCallback[0]).contains("eventloop");
            assertThat(callerAndCallback[1]).isEqualTo(callerAndCallback[0]);
            Optional<KeyLookup> unknown = await(cache.lookup("0".repeat(64)));
            assertThat(unknown).isEmpty();
        }
    }
}
