package io.gatehouse.auth;

import io.gatehouse.store.Database;
import io.gatehouse.store.KeyChanges;
import io.gatehouse.store.KeyLookup;
import io.gatehouse.store.NewVirtualKey;
import io.gatehouse.store.Project;
import io.gatehouse.store.ProjectChanges;
import io.gatehouse.store.ProjectRepository;
import io.gatehouse.store.StorageUrl;
import io.gatehouse.store.TestStore;
import io.gatehouse.store.VirtualKey;
import io.gatehouse.store.VirtualKeyRepository;
import io.gatehouse.store.crypto.MasterKey;
import io.gatehouse.store.crypto.SecretCipher;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.gatehouse.store.TestStore.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two gateway instances sharing one store and the real Redis at 127.0.0.1:6379, each with its own lookup cache:
 * a revocation on one is seen by the other within a second, though both cache lookups for minutes.
 */
class CrossInstanceInvalidationTest {
    private static final String REDIS = "redis://127.0.0.1:6379";

    @TempDir
    Path tempDir;

    private Vertx vertx;
    private TestStore store;
    private Instance first;
    private Instance second;

    private record Instance(Database database, VirtualKeyRepository keys, KeyLookupCache cache, RedisInvalidationChannel channel) {
        static Instance start(Vertx vertx, TestStore store) {
            Database database = store.open(vertx);
            VirtualKeyRepository keys = new VirtualKeyRepository(database, Clock.systemUTC());
            KeyLookupCache cache = new KeyLookupCache(keys::findByHash, Duration.ofMinutes(10), 1000);
            return new Instance(database, keys, cache, RedisInvalidationChannel.connect(REDIS, cache));
        }

        boolean seesUsable(String keyHash) {
            KeyLookup found = await(cache.lookup(keyHash)).orElseThrow();
            return found.key().active() && found.projectActive();
        }

        void stop() {
            channel.close();
            database.close();
        }
    }

    @BeforeEach
    void startTwoInstances() throws Exception {
        vertx = Vertx.vertx();
        store = TestStore.create(StorageUrl.Kind.SQLITE, tempDir);
        first = Instance.start(vertx, store);
        second = Instance.start(vertx, store);
    }

    @AfterEach
    void stop() throws Exception {
        first.stop();
        second.stop();
        store.close();
        vertx.close().await();
    }

    @Test
    void aKeyRevokedOnOneInstanceIsRefusedByTheOtherWithinOneSecond() {
        ProjectRepository projects = new ProjectRepository(first.database(), new SecretCipher(MasterKey.fromBytes(new byte[32])), Clock.systemUTC());
        Project project = await(projects.create("shared", Map.of()));
        VirtualKeySecrets.Issued issued = new VirtualKeySecrets().issue();
        VirtualKey key = await(first.keys().create(new NewVirtualKey(project.id(), "k", issued.hash(), issued.displayPrefix(),
                null, null, List.of(), Map.of())));
        assertThat(first.seesUsable(issued.hash())).isTrue();
        assertThat(second.seesUsable(issued.hash())).isTrue();

        await(first.keys().update(key.id(), KeyChanges.revoke()));
        assertThat(second.seesUsable(issued.hash())).as("still cached before the broadcast").isTrue();
        first.cache().invalidate(issued.hash());

        assertThat(first.seesUsable(issued.hash())).isFalse();
        await().atMost(Duration.ofSeconds(1)).until(() -> !second.seesUsable(issued.hash()));
    }

    @Test
    void aProjectDeactivatedOnOneInstanceStopsItsKeysOnTheOtherWithinOneSecond() {
        ProjectRepository projects = new ProjectRepository(first.database(), new SecretCipher(MasterKey.fromBytes(new byte[32])), Clock.systemUTC());
        Project project = await(projects.create("shared", Map.of()));
        VirtualKeySecrets.Issued issued = new VirtualKeySecrets().issue();
        await(first.keys().create(new NewVirtualKey(project.id(), "k", issued.hash(), issued.displayPrefix(), null, null, List.of(), Map.of())));
        assertThat(second.seesUsable(issued.hash())).isTrue();

        await(projects.update(project.id(), ProjectChanges.deactivate(false)));
        first.cache().invalidateProject(project.id());

        await().atMost(Duration.ofSeconds(1)).until(() -> !second.seesUsable(issued.hash()));
    }
}
