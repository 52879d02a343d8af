package io.gatehouse.limit;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Both backends: check-and-charge is atomic across counters and across concurrent callers; settling adjusts. */
class LimitBackendTest {
    /** In the future: Redis expires keys by its own clock, so a window that already ended would vanish at once. */
    private static final Instant NOW = Instant.parse("2031-03-10T10:15:30Z");

    private final Vertx vertx = Vertx.vertx();
    private final SharedRedis redis = new SharedRedis();
    private final MovableClock clock = new MovableClock(NOW);
    private LimitBackend backend;

    @AfterEach
    void close() {
        if (backend != null) {
            backend.close();
        }
        redis.close();
        vertx.close().await();
    }

    private LimitBackend backend(String kind) {
        backend = kind.equals("redis")
                ? RedisLimitBackend.connect(vertx, SharedRedis.URL, Duration.ofSeconds(2))
                : new MemoryLimitBackend(clock);
        return backend;
    }

    private Counter counter(String name, Meter meter, long limit, long amount) {
        Window window = Window.MINUTE;
        Instant start = window.start(clock.instant());
        Constraint constraint = new Constraint(name, List.of(), List.of(new Constraint.Limit(meter, limit, window)));
        return new Counter(constraint, meter, redis.prefix + name, "", limit, amount, window, window.end(start));
    }

    private static long[] await(Future<long[]> future) {
        return future.await();
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "redis"})
    void exactlyTheLimitOfManyConcurrentCallsIsAdmitted(String kind) throws Exception {
        LimitBackend backend = backend(kind);
        Counter requests = counter("burst", Meter.REQUESTS, 50, 1);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<CompletableFuture<Boolean>> admitted = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                admitted.add(CompletableFuture.supplyAsync(
                        () -> !requests.exceededBy(await(backend.reserve(List.of(requests), true))[0]), pool));
            }
            long passed = admitted.stream().filter(CompletableFuture::join).count();
            assertThat(passed).isEqualTo(50);
        } finally {
            pool.shutdown();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(await(backend.reserve(List.of(requests), false))[0]).isEqualTo(50);
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "redis"})
    void aCallRefusedByOneCounterChargesNoneOfThem(String kind) {
        LimitBackend backend = backend(kind);
        Counter requests = counter("requests", Meter.REQUESTS, 10, 1);
        Counter budget = counter("budget", Meter.SPEND, 1_000, 600);
        assertThat(await(backend.reserve(List.of(requests, budget), true))).containsExactly(0, 0);

        long[] before = await(backend.reserve(List.of(requests, budget), true));

        assertThat(before).containsExactly(1, 600);
        assertThat(budget.exceededBy(before[1])).isTrue();
        assertThat(await(backend.reserve(List.of(requests, budget), false))).as("nothing was charged").containsExactly(1, 600);
    }

    /**
     * Calls made in one event-loop turn go to Redis in one script: each is still checked and charged on its own, in
     * order, and a refused call's charges are taken back before the next is looked at.
     */
    @ParameterizedTest
    @ValueSource(strings = {"memory", "redis"})
    void callsOfOneEventLoopTurnAreEachCheckedOnTheirOwn(String kind) {
        LimitBackend backend = backend(kind);
        Counter requests = counter("turn-requests", Meter.REQUESTS, 3, 1);
        Counter budget = counter("turn-budget", Meter.SPEND, 1_000, 400);
        Counter shadow = counter("turn-shadow", Meter.REQUESTS, 1, 1);
        long scriptsBefore = kind.equals("redis") ? scriptsRun() : 0;
        List<Future<long[]>> answers = vertx.getOrCreateContext().<List<Future<long[]>>>executeBlocking(() -> null)
                .compose(ignored -> {
                    // Back on the event loop: all of these are reserved in this one turn.
                    List<Future<long[]>> inOneTurn = new ArrayList<>();
                    for (int i = 0; i < 4; i++) {
                        inOneTurn.add(backend.reserve(List.of(requests, budget), true));
                    }
                    inOneTurn.add(backend.reserve(List.of(requests), true));
                    inOneTurn.add(backend.reserve(List.of(shadow), false));
                    inOneTurn.add(backend.reserve(List.of(shadow), false));
                    return Future.succeededFuture(inOneTurn);
                }).await();

        assertThat(answers.stream().map(answer -> await(answer))).containsExactly(
                new long[]{0, 0}, new long[]{1, 400},
                new long[]{2, 800}, // refused by the budget: neither counter charged
                new long[]{2, 800}, // so this one fits the requests (the third) but still not the budget
                new long[]{2},      // the third request
                new long[]{0}, new long[]{1});
        if (kind.equals("redis")) {
            assertThat(scriptsRun() - scriptsBefore).as("scripts Redis ran for the seven calls").isEqualTo(1);
        }
        assertThat(await(backend.reserve(List.of(requests, budget, shadow), false))).containsExactly(3, 800, 2);
    }

    /** How many EVALSHA commands Redis has run since its statistics were last reset. */
    private long scriptsRun() {
        return redis.commands().info("commandstats").lines().filter(line -> line.startsWith("cmdstat_evalsha:"))
                .mapToLong(line -> Long.parseLong(line.replaceAll("^cmdstat_evalsha:calls=(\\d+),.*", "$1"))).sum();
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "redis"})
    void countingOnlyChargesPastTheLimit(String kind) {
        LimitBackend backend = backend(kind);
        Counter requests = counter("shadow", Meter.REQUESTS, 1, 1);
        for (int i = 0; i < 3; i++) {
            assertThat(await(backend.reserve(List.of(requests), false))[0]).isEqualTo(i);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "redis"})
    void settlingGivesBackWhatWasNotUsed(String kind) {
        LimitBackend backend = backend(kind);
        Counter budget = counter("settle", Meter.SPEND, 1_000, 700);
        await(backend.reserve(List.of(budget), true));
        backend.adjust(List.of(budget), new long[]{-650}).await();

        assertThat(await(backend.reserve(List.of(budget), true))).as("50 spent, so 700 more fit").containsExactly(50);
    }

    @Test
    void redisCountersExpireAtTheirWindowsEndNotAfterTheLastCall() {
        LimitBackend backend = backend("redis");
        Counter requests = counter("expiry", Meter.REQUESTS, 100, 1);
        await(backend.reserve(List.of(requests), true));
        long firstExpiry = redis.commands().pexpiretime(requests.key());
        await(backend.reserve(List.of(requests), true));

        assertThat(redis.commands().pexpiretime(requests.key())).isEqualTo(firstExpiry)
                .isEqualTo(Instant.parse("2031-03-10T10:16:00Z").plus(Window.MINUTE.settleMargin()).toEpochMilli());
    }

    @Test
    void redisSettlementLeavesAnExpiredCounterGone() {
        LimitBackend backend = backend("redis");
        Counter budget = counter("gone", Meter.SPEND, 1_000, 10);
        backend.adjust(List.of(budget), new long[]{-5}).await();

        assertThat(redis.commands().exists(budget.key())).isZero();
    }

    @Test
    void redisReloadsItsScriptsWhenRedisForgotThem() {
        LimitBackend backend = backend("redis");
        redis.commands().scriptFlush();
        Counter requests = counter("flushed", Meter.REQUESTS, 5, 1);

        assertThat(await(backend.reserve(List.of(requests), true))).containsExactly(0);
        assertThat(await(backend.reserve(List.of(requests), true))).containsExactly(1);
    }
}
