package io.gatehouse.store;

import io.gatehouse.pipeline.Secret;
import io.gatehouse.store.crypto.SecretCipher;
import io.gatehouse.store.crypto.SecretCipherException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static io.gatehouse.store.TestStore.await;
import static io.gatehouse.store.TestStore.failure;
import static org.assertj.core.api.Assertions.assertThat;

class ProjectRepositoryTest extends StoreTestSupport {
    private static final String OPENAI_KEY = "sk-proj-CLEARTEXTopenaiKEY1234567890abcdef";
    private static final String ANTHROPIC_KEY = "sk-ant-api03-CLEARTEXTanthropicKEY0987654321";

    @ParameterizedTest
    @EnumSource(StorageUrl.Kind.class)
    void createdProjectReadsBackWithItsProvidersAndDecryptedKeys(StorageUrl.Kind kind) throws Exception {
        ProjectRepository projects = projects(open(newStore(kind)), randomCipher());

        Project created = await(projects.create("checkout", Map.of("openai", OPENAI_KEY, "anthropic", ANTHROPIC_KEY)));
        Optional<Project> read = await(projects.get(created.id()));
        Optional<Secret> openai = await(projects.providerKey(created.id(), "openai"));
        Optional<Secret> missing = await(projects.providerKey(created.id(), "mistral"));

        assertThat(read).contains(created);
        assertThat(created.active()).isTrue();
        assertThat(created.providers()).containsExactly("anthropic", "openai");
        assertThat(created.createdAt()).isEqualTo(created.updatedAt()).isNotNull();
        assertThat(openai.map(Secret::reveal)).contains(OPENAI_KEY);
        assertThat(openai.get().toString()).doesNotContain(OPENAI_KEY);
        assertThat(missing).isEmpty();
        assertThat(await(projects.findByName("checkout"))).contains(created);
    }

    @ParameterizedTest
    @EnumSource(StorageUrl.Kind.class)
    void providerKeysNeverReachTheDatabaseInClear(StorageUrl.Kind kind) throws Exception {
        TestStore store = newStore(kind);
        ProjectRepository projects = projects(open(store), randomCipher());

        Project project = await(projects.create("billing", Map.of("openai", OPENAI_KEY)));
        await(projects.update(project.id(), new ProjectChanges(null, null, Map.of("anthropic", ANTHROPIC_KEY), null, false)));

        String stored = everythingStored(store);
        assertThat(stored).contains("billing").contains(project.id());
        assertThat(stored).doesNotContain(OPENAI_KEY).doesNotContain(ANTHROPIC_KEY)
                .doesNotContain("CLEARTEXTopenaiKEY").doesNotContain("CLEARTEXTanthropicKEY");
    }

    @ParameterizedTest
    @EnumSource(StorageUrl.Kind.class)
    void aCiphertextMovedToAnotherProjectOrProviderDoesNotDecrypt(StorageUrl.Kind kind) throws Exception {
        TestStore store = newStore(kind);
        ProjectRepository projects = projects(open(store), randomCipher());
        Project victim = await(projects.create("victim", Map.of("openai", OPENAI_KEY)));
        Project attacker = await(projects.create("attacker", Map.of("openai", "sk-attacker-own-key-0000000000000")));

        try (Connection connection = store.rawConnection(); PreparedStatement copy = connection.prepareStatement(
                "UPDATE project_provider_keys SET ciphertext = (SELECT ciphertext FROM project_provider_keys WHERE project_id = ?) "
                        + "WHERE project_id = ?")) {
            copy.setString(1, victim.id());
            copy.setString(2, attacker.id());
            assertThat(copy.executeUpdate()).isEqualTo(1);
        }

        assertThat(failure(projects.providerKey(attacker.id(), "openai")))
                .isInstanceOf(SecretCipherException.class).hasMessageNotContaining(OPENAI_KEY);
        assertThat(await(projects.providerKey(victim.id(), "openai")).map(Secret::reveal)).contains(OPENAI_KEY);
    }

    @ParameterizedTest
    @EnumSource(StorageUrl.Kind.class)
    void anotherMasterKeyCannotReadStoredKeys(StorageUrl.Kind kind) throws Exception {
        Database database = open(newStore(kind));
        Project project = await(projects(database, randomCipher()).create("p", Map.of("openai", OPENAI_KEY)));

        SecretCipher other = randomCipher();
        assertThat(failure(projects(database, other).providerKey(project.id(), "openai")))
                .isInstanceOf(SecretCipherException.class).hasMessageContaining(other.keyId());
    }

    @ParameterizedTest
    @EnumSource(StorageUrl.Kind.class)
    void namesAreUnique(StorageUrl.Kind kind) throws Exception {
        ProjectRepository projects = projects(open(newStore(kind)), randomCipher());
        await(projects.create("same", Map.of()));
        Project other = await(projects.create("other", Map.of()));

        assertThat(failure(projects.create("same", Map.of())))
                .isInstanceOfSatisfying(StoreRejection.class, e -> assertThat(e.reason()).isEqualTo(StoreRejection.Reason.DUPLICATE_NAME));
        assertThat(failure(projects.update(other.id(), new ProjectChanges("same", null, null, null, false))))
                .isInstanceOfSatisfying(StoreRejection.class, e -> assertThat(e.reason()).isEqualTo(StoreRejection.Reason.DUPLICATE_NAME));
        assertThat(await(projects.get(other.id())).map(Project::name)).contains("other");
    }

    @ParameterizedTest
    @EnumSource(StorageUrl.Kind.class)
    void listSearchesNamesCaseInsensitivelyNewestFirstAndPages(StorageUrl.Kind kind) throws Exception {
        // Each creation reads the clock at a later millisecond, so "newest first" has one answer.
        ProjectRepository projects = new ProjectRepository(open(newStore(kind)), randomCipher(), new SteppingClock(Instant.now()));
        for (String name : List.of("Team-Alpha", "team-beta", "gamma", "TEAM_delta", "100%_literal")) {
            await(projects.create(name, Map.of()));
        }

        Page<Project> teams = await(projects.list(new PageRequest("team", 2, 0)));
        Page<Project> rest = await(projects.list(new PageRequest("team", 2, 2)));
        Page<Project> literal = await(projects.list(new PageRequest("%_", 10, 0)));
        Page<Project> all = await(projects.list(PageRequest.first(50)));

        assertThat(teams.total()).isEqualTo(3);
        assertThat(teams.items()).extracting(Project::name).containsExactly("TEAM_delta", "team-beta");
        assertThat(teams.hasMore()).isTrue();
        assertThat(rest.items()).extracting(Project::name).containsExactly("Team-Alpha");
        assertThat(rest.hasMore()).isFalse();
        assertThat(literal.items()).extracting(Project::name).containsExactly("100%_literal");
        assertThat(all.total()).isEqualTo(5);
    }

    @ParameterizedTest
    @EnumSource(StorageUrl.Kind.class)
    void deactivationStampsTheTimeRevokesKeysOnRequestAndReactivationClearsIt(StorageUrl.Kind kind) throws Exception {
        Database database = open(newStore(kind));
        ProjectRepository projects = projects(database, randomCipher());
        VirtualKeyRepository keys = new VirtualKeyRepository(database, Clock.systemUTC());
        Project project = await(projects.create("p", Map.of("openai", OPENAI_KEY)));
        VirtualKey key = await(keys.create(VirtualKeyRepositoryTest.spec(project.id(), "a".repeat(64), null)));

        ProjectUpdate deactivated = await(projects.update(project.id(), ProjectChanges.deactivate(true)));
        ProjectUpdate reactivated = await(projects.update(project.id(), ProjectChanges.activate()));

        assertThat(deactivated.project().active()).isFalse();
        assertThat(deactivated.project().deactivatedAt()).isNotNull().isBeforeOrEqualTo(Instant.now());
        assertThat(deactivated.revokedKeyHashes()).containsExactly(key.keyHash());
        assertThat(await(keys.get(key.id())).map(VirtualKey::active)).contains(false);
        assertThat(reactivated.project().active()).isTrue();
        assertThat(reactivated.project().deactivatedAt()).isNull();
        assertThat(reactivated.revokedKeyHashes()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(StorageUrl.Kind.class)
    void providerKeysCanBeReplacedAndRemoved(StorageUrl.Kind kind) throws Exception {
        ProjectRepository projects = projects(open(newStore(kind)), randomCipher());
        Project project = await(projects.create("p", Map.of("openai", OPENAI_KEY, "anthropic", ANTHROPIC_KEY)));

        ProjectUpdate update = await(projects.update(project.id(),
                new ProjectChanges(null, null, Map.of("openai", "sk-rotated-key-1234567890abcdef"), Set.of("anthropic"), false)));

        assertThat(update.project().providers()).containsExactly("openai");
        assertThat(await(projects.providerKey(project.id(), "openai")).map(Secret::reveal)).contains("sk-rotated-key-1234567890abcdef");
        assertThat(await(projects.providerKey(project.id(), "anthropic"))).isEmpty();
        assertThat(failure(projects.update("no-such-id", ProjectChanges.activate())))
                .isInstanceOfSatisfying(StoreRejection.class, e -> assertThat(e.reason()).isEqualTo(StoreRejection.Reason.NOT_FOUND));
    }
}
