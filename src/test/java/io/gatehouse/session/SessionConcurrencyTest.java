package io.gatehouse.session;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.gatehouse.session.ConversationScript.assistant;
import static io.gatehouse.session.ConversationScript.call;
import static io.gatehouse.session.ConversationScript.result;
import static io.gatehouse.session.ConversationScript.results;
import static io.gatehouse.session.ConversationScript.user;
import static org.assertj.core.api.Assertions.assertThat;

class SessionConcurrencyTest {
    private static final int THREADS = 8;

    @Test
    void identicalStartsFromSeveralThreadsGetDistinctSessionsAndStayWithThem() throws Exception {
        SessionTracker tracker = new SessionTracker(SessionConfig.defaults());
        int rounds = 6;
        CyclicBarrier inStep = new CyclicBarrier(THREADS);
        List<Future<List<String>>> threads = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(THREADS)) {
            for (int t = 0; t < THREADS; t++) {
                // Every thread opens with the same words; from its first tool call on, its history is its own.
                ConversationScript script = ConversationScript.withSystem("You are a math assistant.",
                        user("Calculate the square root of 144"));
                for (int round = 1; round < rounds; round++) {
                    String id = "call_" + t + "_" + round;
                    script = script.then(assistant(null, call(id, "sqrt", "{\"n\": 144}")), results(result(id, "12")));
                }
                ConversationScript own = script;
                threads.add(pool.submit(() -> {
                    List<String> sessionIds = new ArrayList<>();
                    for (int round = 0; round < rounds; round++) {
                        inStep.await(10, TimeUnit.SECONDS);
                        sessionIds.add(tracker.detect(own.conversation(ApiFormat.OPENAI_CHAT, 1 + 2 * round), null)
                                .sessionId());
                    }
                    return sessionIds;
                }));
            }
        }
        List<List<String>> perThread = new ArrayList<>();
        for (Future<List<String>> thread : threads) {
            perThread.add(thread.get());
        }

        HashSet<String> starts = new HashSet<>();
        HashSet<String> claimed = new HashSet<>();
        for (List<String> sessionIds : perThread) {
            starts.add(sessionIds.get(0));
            claimed.add(sessionIds.get(1));
            // Which identical start a thread claims is a race; once claimed, it keeps it.
            assertThat(sessionIds.subList(1, rounds)).containsOnly(sessionIds.get(1));
        }
        assertThat(starts).hasSize(THREADS);
        assertThat(claimed).isEqualTo(starts);
        assertThat(tracker.metrics().sessionsCreated()).isEqualTo(THREADS);
        assertThat(tracker.metrics().sessionsFragmented()).isZero();
    }

    @Test
    void manyThreadsWithEvictionNeverMixConversations() throws Exception {
        int maxSessions = 500;
        int conversationsPerThread = 2000;
        Set<String> ended = ConcurrentHashMap.newKeySet();
        Set<String> lost = ConcurrentHashMap.newKeySet();
        SessionTracker tracker = new SessionTracker(
                new SessionConfig(null, maxSessions, null, null, null, null, null),
                (sessionId, reason) -> ended.add(sessionId), System::nanoTime);
        List<Future<Integer>> threads = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(THREADS)) {
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                threads.add(pool.submit(() -> {
                    int landedElsewhere = 0;
                    for (int i = 0; i < conversationsPerThread; i++) {
                        ConversationScript script = ConversationScript.of(user("Question " + thread + "/" + i),
                                assistant("Answer"), user("Follow-up"), assistant("More"), user("Thanks"));
                        String expected = tracker.detect(script.conversation(ApiFormat.ANTHROPIC_MESSAGES, 1), null)
                                .sessionId();
                        for (int turns = 2; turns <= 5; turns++) {
                            SessionMatch match = tracker.detect(
                                    script.conversation(ApiFormat.ANTHROPIC_MESSAGES, turns), null);
                            if (!match.sessionId().equals(expected)) {
                                // A thread the scheduler parks can see its session evicted by the others; then
                                // it must get a fresh session, never another conversation's.
                                landedElsewhere += match.isNew() ? 0 : 1;
                                lost.add(expected);
                                expected = match.sessionId();
                            }
                        }
                    }
                    return landedElsewhere;
                }));
            }
        }
        for (Future<Integer> thread : threads) {
            assertThat(thread.get()).isZero();
        }

        SessionMetrics metrics = tracker.metrics();
        long created = metrics.sessionsCreated();
        assertThat(created).isEqualTo(THREADS * conversationsPerThread + lost.size());
        assertThat(ended).containsAll(lost).hasSize((int) created - maxSessions);
        assertThat(metrics.activeSessions()).isEqualTo(maxSessions);
        assertThat(metrics.sessionsEvicted()).isEqualTo(created - maxSessions);
        assertThat(tracker.indexedStates()).isLessThanOrEqualTo(maxSessions * SessionRecord.REMEMBERED_STATES);
    }
}
