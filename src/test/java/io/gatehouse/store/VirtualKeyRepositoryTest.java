package io.gatehouse.store;

import io.vertx.core.Future;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.stream.IntStream;

import static io.gatehouse.store.TestStore.await;
import static io.gatehouse.store.TestStore.failure;
import static org.assertj.core.api.Assertions.assertThat;

class VirtualKeyRepositoryTest extends StoreTestSupport {
    private final SteppingClock clock = new SteppingClock(Instant.parse("2026-01-01T00:00:00Z"));

    static NewVirtualKey spec(String projectId, String keyHash, Long maxRequests) {
        return new NewVirtualKey(projectId, "ci", keyHash, "gh-abc123", null, maxRequests, List.of(), Map.of());
    }

    private static String hash(int n) {
        return String.format("%064x", n);
    }

    @ParameterizedTest
    @EnumSource(StorageUrl.Kind.class)
    void aKeyIsFoundByItsHashWithItsProjectStatusAndMetadata(StorageUrl.Kind kind) throws Exception {
        Database database = open(newStore(kind));
        Project project = await(projects(database, randomCipher()).create("p", Map.of()));
        VirtualKeyRepository keys = new VirtualKeyRepository(database, clock);
        Instant expiry = Instant.parse("2026-02-01T00:00:00Z");

        VirtualKey created = await(keys.create(new NewVirtualKey(project.id(), "support bot", hash(1), "gh-AbCdEf", expiry, 0L,
                List.of("gpt-4o*", "claude-*"), Map.of("user", "ada", "team", "support", "feature", "chat"))));
        Optional<KeyLookup> found = await(keys.findByHash(hash(1)));

        assertThat(found).isPresent();
        assertThat(found.get().key()).isEqualTo(created);
        assertThat(found.get().projectActive()).isTrue();
        assertThat(created.maxRequests()).as("0 means unlimited, as in llm-proxy").isNull();
        assertThat(created.allowedModels()).containsExactly("gpt-4o*", "claude-*");
        assertThat(created.metadata()).containsEntry("team", "support").containsEntry("user", "ada");
        assertThat(created.expiresAt()).isEqualTo(expiry);
        assertThat(created.active()).isTrue();
        Optional<KeyLookup> unknown = await(keys.findByHash(hash(2)));
        assertThat(unknown).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(StorageUrl.Kind.class)
    void keysAreRefusedForMissingOrInactiveProjectsAndHashesAreUnique(StorageUrl.Kind kind) throws Exception {
        Database database = open(newStore(kind));
        ProjectRepository projects = projects(database, randomCipher());
        Project inactive = await(projects.create("inactive", Map.of()));
        await(projects.update(inactive.id(), ProjectChanges.deactivate(false)));
        Project active = await(projects.create("active", Map.of()));
        VirtualKeyRepository keys = new VirtualKeyRepository(database, clock);
        await(keys.create(spec(active.id(), hash(7), null)));

        assertThat(failure(keys.create(spec(inactive.id(), hash(1), null))))
                .isInstanceOfSatisfying(StoreRejection.class, e -> assertThat(e.reason()).isEqualTo(StoreRejection.Reason.PROJECT_INACTIVE));
        assertThat(failure(keys.create(spec("no-such-project", hash(1), null))))
                .isInstanceOfSatisfying(StoreRejection.class, e -> assertThat(e.reason()).isEqualTo(StoreRejection.Reason.NOT_FOUND));
        assertThat(failure(keys.create(spec(active.id(), hash(7), null)))).isInstanceOf(StorageException.class);
    }

    @ParameterizedTest
    @EnumSource(StorageUrl.Kind.class)
    void consumeRefusesRevokedExpiredAndDeactivatedKeysAndSaysWhy(StorageUrl.Kind kind) throws Exception {
        Database database = open(newStore(kind));
        ProjectRepository projects = projects(database, randomCipher());
        VirtualKeyRepository keys = new VirtualKeyRepository(database, clock);
        Project project = await(projects.create("p", Map.of()));
        Instant soon = clock.instant().plus(Duration.ofMinutes(5));
        VirtualKey revoked = await(keys.create(spec(project.id(), hash(1), null)));
        VirtualKey expiring = await(keys.create(new NewVirtualKey(project.id(), "x", hash(2), "gh-x", soon, null, List.of(), Map.of())));
        VirtualKey plain = await(keys.create(spec(project.id(), hash(3), null)));

        await(keys.update(revoked.id(), KeyChanges.revoke()));
        assertThat(consume(keys, revoked.id())).isEqualTo(ConsumeOutcome.REVOKED);
        assertThat(consume(keys, expiring.id())).isEqualTo(ConsumeOutcome.ACCEPTED);
        clock.advance(Duration.ofMinutes(6));
        assertThat(consume(keys, expiring.id())).isEqualTo(ConsumeOutcome.EXPIRED);
        assertThat(consume(keys, plain.id())).isEqualTo(ConsumeOutcome.ACCEPTED);
        await(projects.update(project.id(), ProjectChanges.deactivate(false)));
        assertThat(consume(keys, plain.id())).as("deactivating a project stops its keys at once").isEqualTo(ConsumeOutcome.PROJECT_INACTIVE);
        assertThat(consume(keys, "no-such-key")).isEqualTo(ConsumeOutcome.NOT_FOUND);

        VirtualKey used = await(keys.get(plain.id())).orElseThrow();
        assertThat(used.requestCount()).isEqualTo(1);
        assertThat(used.lastUsedAt()).isNotNull();
        long projectRequests = await(keys.projectRequestCount(project.id()));
        assertThat(projectRequests).isEqualTo(2);
    }

    @ParameterizedTest
    @EnumSource(StorageUrl.Kind.class)
    void revokingTwiceKeepsTheFirstTimeAndReactivationClearsIt(StorageUrl.Kind kind) throws Exception {
        Database database = open(newStore(kind));
        Project project = await(projects(database, randomCipher()).create("p", Map.of()));
        VirtualKeyRepository keys = new VirtualKeyRepository(database, clock);
        VirtualKey key = await(keys.create(spec(project.id(), hash(1), 10L)));

        Instant firstRevocation = await(keys.update(key.id(), KeyChanges.revoke())).orElseThrow().revokedAt();
        Instant secondRevocation = await(keys.update(key.id(), KeyChanges.revoke())).orElseThrow().revokedAt();
        VirtualKey reactivated = await(keys.update(key.id(), new KeyChanges(null, true, 0L, null, null, null))).orElseThrow();

        assertThat(firstRevocation).isNotNull().isEqualTo(secondRevocation);
        assertThat(reactivated.active()).isTrue();
        assertThat(reactivated.maxRequests()).isNull();
        Optional<VirtualKey> missing = await(keys.update("no-such-key", KeyChanges.revoke()));
        assertThat(missing).isEmpty();
    }

    /**
     * The lifetime quota under contention: 100 requests at once, from two gateway instances (two pools) sharing the
     * store, for a key allowed 50. Exactly 50 get through.
     */
    @ParameterizedTest
    @EnumSource(StorageUrl.Kind.class)
    void maxRequests50Under100ConcurrentRequestsLetsExactly50Through(StorageUrl.Kind kind) throws Exception {
        TestStore store = newStore(kind);
        Database first = open(store);
        Database second = open(store);
        Project project = await(projects(first, randomCipher()).create("p", Map.of()));
        VirtualKeyRepository firstKeys = new VirtualKeyRepository(first, clock);
        VirtualKeyRepository secondKeys = new VirtualKeyRepository(second, clock);
        VirtualKey key = await(firstKeys.create(spec(project.id(), hash(1), 50L)));

        CountDownLatch start = new CountDownLatch(1);
        List<Future<ConsumeOutcome>> outcomes = new ArrayList<>();
        List<Thread> callers = IntStream.range(0, 100).mapToObj(i -> Thread.ofVirtual().unstarted(() -> {
            try {
                start.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Future<ConsumeOutcome> outcome = (i % 2 == 0 ? firstKeys : secondKeys).consume(key.id());
            synchronized (outcomes) {
                outcomes.add(outcome);
            }
        })).toList();
        callers.forEach(Thread::start);
        start.countDown();
        for (Thread caller : callers) {
            caller.join();
        }

        List<ConsumeOutcome> results = outcomes.stream().map(TestStore::await).toList();
        assertThat(results).hasSize(100);
        assertThat(results).filteredOn(ConsumeOutcome.ACCEPTED::equals).hasSize(50);
        assertThat(results).filteredOn(ConsumeOutcome.QUOTA_EXHAUSTED::equals).hasSize(50);
        assertThat(await(firstKeys.get(key.id())).orElseThrow().requestCount()).isEqualTo(50);
    }

    @ParameterizedTest
    @EnumSource(StorageUrl.Kind.class)
    void listFiltersByProjectAndNameAndPages(StorageUrl.Kind kind) throws Exception {
        Database database = open(newStore(kind));
        ProjectRepository projects = projects(database, randomCipher());
        Project a = await(projects.create("a", Map.of()));
        Project b = await(projects.create("b", Map.of()));
        VirtualKeyRepository keys = new VirtualKeyRepository(database, clock);
        int n = 0;
        for (String name : List.of("Batch Job", "chat", "nightly batch")) {
            await(keys.create(new NewVirtualKey(a.id(), name, hash(++n), "gh-x", null, null, List.of(), Map.of())));
        }
        await(keys.create(new NewVirtualKey(b.id(), "batch elsewhere", hash(++n), "gh-x", null, null, List.of(), Map.of())));

        Page<VirtualKey> batchesOfA = await(keys.list(a.id(), new PageRequest("BATCH", 1, 0)));
        Page<VirtualKey> allBatches = await(keys.list(null, new PageRequest("batch", 10, 0)));
        Page<VirtualKey> ofB = await(keys.list(b.id(), PageRequest.first(10)));

        assertThat(batchesOfA.total()).isEqualTo(2);
        assertThat(batchesOfA.items()).extracting(VirtualKey::name).containsExactly("nightly batch");
        assertThat(allBatches.items()).extracting(VirtualKey::name).containsExactly("batch elsewhere", "nightly batch", "Batch Job");
        assertThat(ofB.items()).extracting(VirtualKey::projectId).containsOnly(b.id());
    }

    @ParameterizedTest
    @EnumSource(StorageUrl.Kind.class)
    void revokeAllReturnsTheHashesOfTheKeysItRevoked(StorageUrl.Kind kind) throws Exception {
        Database database = open(newStore(kind));
        Project project = await(projects(database, randomCipher()).create("p", Map.of()));
        VirtualKeyRepository keys = new VirtualKeyRepository(database, clock);
        VirtualKey already = await(keys.create(spec(project.id(), hash(1), null)));
        await(keys.update(already.id(), KeyChanges.revoke()));
        await(keys.create(spec(project.id(), hash(2), null)));
        await(keys.create(spec(project.id(), hash(3), null)));

        List<String> revoked = await(keys.revokeAll(project.id()));

        assertThat(revoked).containsExactlyInAnyOrder(hash(2), hash(3));
        assertThat(await(keys.list(project.id(), PageRequest.first(10))).items()).noneMatch(VirtualKey::active);
    }

    private static ConsumeOutcome consume(VirtualKeyRepository keys, String id) {
        return await(keys.consume(id));
    }
}
