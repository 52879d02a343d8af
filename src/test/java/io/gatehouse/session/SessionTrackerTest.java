package io.gatehouse.session;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static io.gatehouse.session.ConversationScript.assistant;
import static io.gatehouse.session.ConversationScript.call;
import static io.gatehouse.session.ConversationScript.json;
import static io.gatehouse.session.ConversationScript.result;
import static io.gatehouse.session.ConversationScript.results;
import static io.gatehouse.session.ConversationScript.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SessionTrackerTest {

    private static final ConversationScript GREETING = ConversationScript.of(
            user("Hello"), assistant("Hi there!"), user("How are you?"), assistant("I'm good!"), user("Great!"));

    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private final List<String> ended = new ArrayList<>();
    private SessionTracker tracker = tracker(SessionConfig.defaults());

    private SessionTracker tracker(SessionConfig config) {
        return new SessionTracker(config, (sessionId, reason) -> ended.add(sessionId + " " + reason), clock::get);
    }

    private static SessionConfig limits(int maxSessions, long ttlSeconds) {
        return new SessionConfig(null, maxSessions, ttlSeconds, null, null, null, null);
    }

    private SessionMatch chat(ConversationScript script, int turns) {
        return tracker.detect(script.conversation(ApiFormat.OPENAI_CHAT, turns), null);
    }

    private void advanceSeconds(long seconds) {
        clock.addAndGet(TimeUnit.SECONDS.toNanos(seconds));
    }

    @Test
    void onlyMessagesAfterTheMarkedIndexAreNew() {
        SessionMatch first = chat(GREETING, 1);
        tracker.markProcessed(first.sessionId(), 1);
        SessionMatch second = chat(GREETING, 3);
        tracker.markProcessed(first.sessionId(), 3);
        SessionMatch retry = chat(GREETING, 3);
        SessionMatch third = chat(GREETING, 5);

        assertThat(first.lastProcessedIndex()).isZero();
        assertThat(second.lastProcessedIndex()).isEqualTo(1);
        assertThat(retry.sessionId()).isEqualTo(first.sessionId());
        assertThat(retry.lastProcessedIndex()).as("a byte-identical retry has nothing new").isEqualTo(3);
        assertThat(third.lastProcessedIndex()).isEqualTo(3);
    }

    @Test
    void aBranchFromAnEarlierStateReportsTheBranchAsNew() {
        String sessionId = chat(GREETING, 1).sessionId();
        chat(GREETING, 3);
        chat(GREETING, 5);
        tracker.markProcessed(sessionId, 5);
        ConversationScript edited = ConversationScript.of(
                user("Hello"), assistant("Hi there!"), user("How are you?"), assistant("I'm good!"), user("Awesome!"));

        SessionMatch branch = chat(edited, 5);

        assertThat(branch.sessionId()).isEqualTo(sessionId);
        assertThat(branch.lastProcessedIndex()).as("only the shared history before the last answer").isEqualTo(3);
    }

    @Test
    void threeIdenticalStartsThenAnExtensionContinuesTheOldest() {
        ConversationScript start = ConversationScript.withSystem("You are terse.", user("Hi"));
        String oldest = chat(start, 1).sessionId();
        chat(start, 1);
        chat(start, 1);

        SessionMatch extension = chat(start.then(assistant("Hello."), user("Bye")), 3);

        assertThat(tracker.metrics().sessionsCreated()).isEqualTo(3);
        assertThat(extension.sessionId()).isEqualTo(oldest);
    }

    @Test
    void blankExternalIdCountsAsNone() {
        SessionMatch match = tracker.detect(GREETING.conversation(ApiFormat.OPENAI_CHAT, 1), " ");

        assertThat(match.kind()).isEqualTo(SessionMatch.Kind.NEW);
        assertThat(match.sessionId()).isNotBlank();
    }

    @Test
    void aSessionStartedMidConversationTakesOverTheStateItMissed() {
        // After a restart the tracker first sees the assistant's reply returned, then the next user turn: both
        // continue [Hello], which it no longer knows. The seed fragments twice here.
        SessionMatch replay = chat(GREETING, 2);
        SessionMatch next = chat(GREETING, 3);

        assertThat(replay.isNew()).isTrue();
        assertThat(next.sessionId()).isEqualTo(replay.sessionId());
        assertThat(next.isNew()).isFalse();
        assertThat(tracker.metrics().sessionsCreated()).isEqualTo(1);
    }

    @Test
    void previousResponseIdContinuesItsSessionWithAllInputNew() {
        SessionMatch first = tracker.detect(Conversations.fromOpenAiResponses(json("""
                {"model": "gpt-4.1", "input": "What is 2 + 2?"}""")), null);
        tracker.recordResponseId("resp_1", first.sessionId());
        tracker.markProcessed(first.sessionId(), 1);

        SessionMatch next = tracker.detect(Conversations.fromOpenAiResponses(json("""
                {"model": "gpt-4.1", "previous_response_id": "resp_1",
                 "input": [{"role": "user", "content": "And 3 + 3?"}]}""")), null);
        SessionMatch unknown = tracker.detect(Conversations.fromOpenAiResponses(json("""
                {"model": "gpt-4.1", "previous_response_id": "resp_unknown",
                 "input": [{"role": "user", "content": "And 4 + 4?"}]}""")), null);

        assertThat(next.sessionId()).isEqualTo(first.sessionId());
        assertThat(next.kind()).isEqualTo(SessionMatch.Kind.PREVIOUS_RESPONSE);
        assertThat(next.isNew()).isFalse();
        assertThat(next.lastProcessedIndex()).isZero();
        assertThat(unknown.isNew()).as("an unknown response id falls back to the history").isTrue();
        assertThat(unknown.sessionId()).isNotEqualTo(first.sessionId());
    }

    @Test
    void responsesReasoningAndParallelCallsAreOneModelTurn() {
        Conversation start = Conversations.fromOpenAiResponses(json("""
                {"input": [{"role": "user", "content": "Weather in Paris and Rome?"}]}"""));
        Conversation withResults = Conversations.fromOpenAiResponses(json("""
                {"input": [{"role": "user", "content": "Weather in Paris and Rome?"},
                           {"type": "reasoning", "id": "rs_1", "summary": []},
                           {"type": "function_call", "call_id": "call_p", "name": "weather", "arguments": "{\\"city\\":\\"Paris\\"}"},
                           {"type": "function_call", "call_id": "call_r", "name": "weather", "arguments": "{\\"city\\":\\"Rome\\"}"},
                           {"type": "function_call_output", "call_id": "call_p", "output": "18°C"},
                           {"type": "function_call_output", "call_id": "call_r", "output": "24°C"}]}"""));

        SessionMatch first = tracker.detect(start, null);
        SessionMatch second = tracker.detect(withResults, null);

        assertThat(second.sessionId()).isEqualTo(first.sessionId());
        assertThat(second.kind()).isEqualTo(SessionMatch.Kind.SIGNATURE);
    }

    @Test
    void externalSessionIdCreatesOnFirstSightThenContinues() {
        SessionMatch first = tracker.detect(GREETING.conversation(ApiFormat.OPENAI_CHAT, 1), "conv-42");
        tracker.markProcessed("conv-42", 1);
        SessionMatch fullHistory = tracker.detect(GREETING.conversation(ApiFormat.OPENAI_CHAT, 3), "conv-42");
        SessionMatch unrelated = tracker.detect(
                ConversationScript.of(user("Only the new message")).conversation(ApiFormat.OPENAI_CHAT), "conv-42");
        SessionMatch withoutHeader = chat(GREETING, 5);

        assertThat(first.sessionId()).isEqualTo("conv-42");
        assertThat(first.kind()).isEqualTo(SessionMatch.Kind.EXTERNAL_NEW);
        assertThat(first.isNew()).isTrue();
        assertThat(fullHistory.sessionId()).isEqualTo("conv-42");
        assertThat(fullHistory.kind()).isEqualTo(SessionMatch.Kind.EXTERNAL);
        assertThat(fullHistory.lastProcessedIndex()).isEqualTo(1);
        assertThat(unrelated.sessionId()).isEqualTo("conv-42");
        assertThat(unrelated.lastProcessedIndex()).as("a client sending only new messages: all of it is new").isZero();
        assertThat(withoutHeader.sessionId()).as("its history still leads to it").isEqualTo("conv-42");
    }

    @Test
    void conversationsSharingALongPrefixStayApart() {
        String shared = "I am planning a two-week trip through northern Italy in late September and would like "
                + "your help with an itinerary that balances museums, food and some hiking.";
        assertThat(shared).hasSizeGreaterThan(100);
        ConversationScript a = ConversationScript.of(user(shared + " Start in Milan."), assistant("Great idea!"),
                user("What about day two?"));
        ConversationScript b = ConversationScript.of(user(shared + " Start in Venice."), assistant("Great idea!"),
                user("What about day two?"));

        String sessionA = chat(a, 1).sessionId();
        String sessionB = chat(b, 1).sessionId();

        assertThat(chat(b, 3).sessionId()).isEqualTo(sessionB);
        assertThat(chat(a, 3).sessionId()).isEqualTo(sessionA);
    }

    @Test
    void differentToolArgumentsOrCallIdsStayApart() {
        ConversationScript start = ConversationScript.of(user("What's the weather?"));
        ConversationScript nyc = start.then(assistant(null, call("call_1", "get_weather", "{\"city\":\"NYC\"}")),
                results(result("call_1", "Sunny")), assistant("It is sunny."), user("Thanks"));
        ConversationScript boston = start.then(assistant(null, call("call_1", "get_weather", "{\"city\":\"Boston\"}")),
                results(result("call_1", "Sunny")), assistant("It is sunny."), user("Thanks"));
        ConversationScript otherId = start.then(assistant(null, call("call_2", "get_weather", "{\"city\":\"NYC\"}")),
                results(result("call_2", "Sunny")), assistant("It is sunny."), user("Thanks"));

        String first = chat(start, 1).sessionId();
        String second = chat(start, 1).sessionId();
        String third = chat(start, 1).sessionId();
        chat(nyc, 3);
        chat(boston, 3);
        chat(otherId, 3);

        // Later turns arrive in reverse order: under the seed's signatures all three states look the same.
        assertThat(chat(otherId, 5).sessionId()).isEqualTo(third);
        assertThat(chat(boston, 5).sessionId()).isEqualTo(second);
        assertThat(chat(nyc, 5).sessionId()).isEqualTo(first);
    }

    @Test
    void idleSessionExpiresOnceWithSessionEnd() {
        tracker = tracker(limits(100, 60));
        SessionMatch match = chat(GREETING, 1);

        advanceSeconds(60);
        assertThat(tracker.expireIdleSessions()).as("idle for exactly the TTL").isZero();
        clock.incrementAndGet();
        assertThat(tracker.expireIdleSessions()).isEqualTo(1);
        assertThat(tracker.expireIdleSessions()).isZero();

        assertThat(ended).containsExactly(match.sessionId() + " EXPIRED");
        assertThat(tracker.metrics().sessionsExpired()).isEqualTo(1);
        assertThat(tracker.metrics().activeSessions()).isZero();
        SessionMatch later = chat(GREETING, 3);
        assertThat(later.isNew()).isTrue();
        assertThat(later.isFragmented()).isTrue();
    }

    @Test
    void useRenewsTheTtlAndRequestsExpireOthersOnTheWay() {
        tracker = tracker(limits(100, 60));
        ConversationScript other = ConversationScript.of(user("Unrelated"));
        String kept = chat(GREETING, 1).sessionId();
        String idle = chat(other, 1).sessionId();

        advanceSeconds(50);
        chat(GREETING, 3);
        advanceSeconds(50);
        SessionMatch continued = chat(GREETING, 5);

        assertThat(continued.sessionId()).isEqualTo(kept);
        assertThat(ended).containsExactly(idle + " EXPIRED");
    }

    @Test
    void leastRecentlyUsedSessionIsEvictedAtMaxSessions() {
        tracker = tracker(limits(2, 3600));
        String first = chat(GREETING, 1).sessionId();
        String second = chat(ConversationScript.of(user("Second")), 1).sessionId();
        chat(GREETING, 3);

        chat(ConversationScript.of(user("Third")), 1);

        assertThat(ended).containsExactly(second + " EVICTED");
        assertThat(chat(GREETING, 5).sessionId()).isEqualTo(first);
        assertThat(tracker.metrics().sessionsEvicted()).isEqualTo(1);
        assertThat(tracker.metrics().activeSessions()).isEqualTo(2);
    }

    @Test
    void aFailingListenerDoesNotBreakDetection() {
        SessionTracker failing = new SessionTracker(limits(1, 3600), (id, reason) -> {
            throw new IllegalStateException("listener bug");
        }, clock::get);

        failing.detect(GREETING.conversation(ApiFormat.OPENAI_CHAT, 1), null);
        SessionMatch next = failing.detect(ConversationScript.of(user("Next")).conversation(ApiFormat.OPENAI_CHAT), null);

        assertThat(next.isNew()).isTrue();
        assertThat(failing.metrics().sessionsEvicted()).isEqualTo(1);
    }

    @Test
    void memoryStaysBoundedAfter100kConversations() {
        tracker = tracker(limits(1000, 3600));
        for (int i = 0; i < 100_000; i++) {
            ConversationScript script = ConversationScript.of(user("Question number " + i), assistant("Answer " + i),
                    user("Follow-up " + i));
            String sessionId = chat(script, 1).sessionId();
            assertThat(chat(script, 3).sessionId()).isEqualTo(sessionId);
            tracker.recordResponseId("resp_" + i, sessionId);
        }

        SessionMetrics metrics = tracker.metrics();
        assertThat(metrics.activeSessions()).isEqualTo(1000);
        assertThat(metrics.sessionsCreated()).isEqualTo(100_000);
        assertThat(metrics.sessionsEvicted()).isEqualTo(99_000);
        assertThat(ended).hasSize(99_000);
        assertThat(tracker.indexedStates()).isLessThanOrEqualTo(1000 * 2);
        assertThat(tracker.rememberedResponseIds()).isEqualTo(1000);
    }

    @Test
    void aLongConversationKeepsABoundedNumberOfStates() {
        ConversationScript script = ConversationScript.of(user("Turn 0"));
        chat(script, 1);
        for (int turn = 1; turn <= 200; turn++) {
            script = script.then(assistant("Answer " + turn), user("Turn " + turn));
            assertThat(chat(script, script.turnCount()).isNew()).isFalse();
        }

        assertThat(tracker.indexedStates()).isEqualTo(SessionRecord.REMEMBERED_STATES);
    }

    @Test
    void rejectsLimitsThatCannotWork() {
        assertThatThrownBy(() -> new SessionTracker(limits(0, 60))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SessionTracker(limits(10, 0))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SessionTracker(new SessionConfig(null, null, null, true, 1.5, null, null)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
