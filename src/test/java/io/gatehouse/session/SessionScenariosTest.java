package io.gatehouse.session;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;

import static io.gatehouse.session.ConversationScript.assistant;
import static io.gatehouse.session.ConversationScript.call;
import static io.gatehouse.session.ConversationScript.result;
import static io.gatehouse.session.ConversationScript.results;
import static io.gatehouse.session.ConversationScript.user;
import static org.assertj.core.api.Assertions.assertThat;

/** The seed's session scenario set (its tests/providers/test_session_utils.py), in each API format. */
class SessionScenariosTest {

    private final SessionTracker tracker = new SessionTracker(SessionConfig.defaults());

    private SessionMatch send(ApiFormat format, ConversationScript script, int turns) {
        return tracker.detect(script.conversation(format, turns), null);
    }

    /** Sends every intermediate state, one more turn each time, as a client growing its history does. */
    private List<String> broadcast(ApiFormat format, ConversationScript script) {
        List<String> sessionIds = new ArrayList<>();
        for (int turns = 1; turns <= script.turnCount(); turns++) {
            sessionIds.add(send(format, script, turns).sessionId());
        }
        return sessionIds;
    }

    private static final ConversationScript GREETING = ConversationScript.of(
            user("Hello"), assistant("Hi there!"), user("How are you?"), assistant("I'm good!"), user("Great!"));

    @ParameterizedTest
    @EnumSource(ApiFormat.class)
    void growingConversationKeepsOneSession(ApiFormat format) {
        SessionMatch first = send(format, GREETING, 1);
        SessionMatch second = send(format, GREETING, 3);
        SessionMatch third = send(format, GREETING, 5);

        assertThat(first.isNew()).isTrue();
        assertThat(first.isFragmented()).isFalse();
        for (SessionMatch later : List.of(second, third)) {
            assertThat(later.sessionId()).isEqualTo(first.sessionId());
            assertThat(later.isNew()).isFalse();
            assertThat(later.isFragmented()).isFalse();
            assertThat(later.kind()).isEqualTo(SessionMatch.Kind.SIGNATURE);
        }
    }

    @ParameterizedTest
    @EnumSource(ApiFormat.class)
    void identicalConversationsOneAfterAnotherGetDifferentSessions(ApiFormat format) {
        ConversationScript script = ConversationScript.of(user("Hello"), assistant("Hi there!"), user("How are you?"));

        List<String> firstRun = broadcast(format, script);
        List<String> secondRun = broadcast(format, script);

        assertThat(firstRun).containsOnly(firstRun.get(0));
        assertThat(secondRun).containsOnly(secondRun.get(0));
        assertThat(secondRun.get(0)).isNotEqualTo(firstRun.get(0));
        assertThat(tracker.metrics().sessionsCreated()).isEqualTo(2);
        assertThat(tracker.metrics().sessionsFragmented()).isZero();
    }

    @ParameterizedTest
    @EnumSource(ApiFormat.class)
    void interleavedConversationsStayApart(ApiFormat format) {
        ConversationScript hi = ConversationScript.of(user("Hi"), assistant("Hello!"), user("How are you?"));
        ConversationScript math = ConversationScript.of(user("What's math?"), assistant("Numbers!"), user("Cool!"));

        List<String> hiSessions = new ArrayList<>();
        List<String> mathSessions = new ArrayList<>();
        for (int turns = 1; turns <= 3; turns++) {
            hiSessions.add(send(format, hi, turns).sessionId());
            mathSessions.add(send(format, math, turns).sessionId());
        }

        assertThat(hiSessions).containsOnly(hiSessions.get(0));
        assertThat(mathSessions).containsOnly(mathSessions.get(0));
        assertThat(hiSessions.get(0)).isNotEqualTo(mathSessions.get(0));
    }

    @ParameterizedTest
    @EnumSource(ApiFormat.class)
    void toolCallsKeepContinuity(ApiFormat format) {
        ConversationScript weather = ConversationScript.of(
                user("What's the weather in NYC?"),
                assistant("I'll check the weather for you.", call("call_123", "get_weather", "{\"city\": \"NYC\"}")),
                results(result("call_123", "Sunny, 75°F")),
                assistant("It's sunny and 75°F in NYC today!"),
                user("Thanks! What about Boston?"),
                assistant("Let me check Boston weather.", call("call_456", "get_weather", "{\"city\": \"Boston\"}")),
                results(result("call_456", "Cloudy, 68°F")));

        SessionMatch first = send(format, weather, 1);
        for (int turns : new int[] {3, 5, 7}) {
            SessionMatch later = send(format, weather, turns);
            assertThat(later.sessionId()).as("after %d turns", turns).isEqualTo(first.sessionId());
            assertThat(later.isNew()).isFalse();
            assertThat(later.isFragmented()).isFalse();
        }
    }

    @ParameterizedTest
    @EnumSource(ApiFormat.class)
    void consecutiveUserMessagesContinue(ApiFormat format) {
        ConversationScript script = ConversationScript.of(
                user("Hello"), assistant("Hi!"), user("How are you?"), user("Are you there?"));

        String first = send(format, script, 1).sessionId();
        SessionMatch second = send(format, script, 3);
        SessionMatch third = send(format, script, 4);

        assertThat(second.sessionId()).isEqualTo(first);
        assertThat(third.sessionId()).isEqualTo(first);
        assertThat(third.isNew()).isFalse();
        assertThat(third.isFragmented()).isFalse();
    }

    @ParameterizedTest
    @EnumSource(ApiFormat.class)
    void everyIntermediateStateResolvesToTheSameSession(ApiFormat format) {
        ConversationScript calculation = ConversationScript.of(
                user("Calculate 25 + 17, then multiply by 2"),
                assistant(null, call("call_add", "add", "{\"a\": 25, \"b\": 17}")),
                results(result("call_add", "42")),
                assistant(null, call("call_multiply", "multiply", "{\"a\": 42, \"b\": 2}")),
                results(result("call_multiply", "84")),
                assistant("25 + 17 = 42, and 42 × 2 = 84. The final answer is 84!"),
                user("Now divide that by 4"));

        List<String> sessionIds = broadcast(format, calculation);

        assertThat(sessionIds).hasSize(7).containsOnly(sessionIds.get(0));
        assertThat(tracker.metrics().sessionsCreated()).isEqualTo(1);
        assertThat(tracker.metrics().sessionsFragmented()).isZero();
    }

    @ParameterizedTest
    @EnumSource(ApiFormat.class)
    void systemPromptConversationWithToolCallKeepsOneSession(ApiFormat format) {
        ConversationScript math = ConversationScript.withSystem(
                "You are a helpful math assistant. Use the math_calculator tool to perform calculations when needed. "
                        + "Be conversational and helpful in your responses. Remember previous calculations and can "
                        + "reference them in future conversations.",
                user("What is 25 + 17?"),
                assistant(null, call("call_2ZBIB4gicvMpy4QEnSrjm180", "math_calculator",
                        "{\"operation\":\"add\",\"a\":25,\"b\":17}")),
                results(result("call_2ZBIB4gicvMpy4QEnSrjm180", "42")),
                assistant("25 + 17 equals 42. If you have any more calculations or questions, feel free to ask!"),
                user("Now multiply that result by 2"));

        SessionMatch first = send(format, math, 1);
        SessionMatch afterTool = send(format, math, 3);
        SessionMatch followUp = send(format, math, 5);

        assertThat(first.isNew()).isTrue();
        assertThat(List.of(afterTool, followUp)).allSatisfy(match -> {
            assertThat(match.sessionId()).isEqualTo(first.sessionId());
            assertThat(match.isNew()).isFalse();
        });
        assertThat(tracker.metrics().sessionsFragmented()).isZero();
    }

    @ParameterizedTest
    @EnumSource(ApiFormat.class)
    void severalToolResultsAtOnceKeepContinuity(ApiFormat format) {
        ConversationScript research = ConversationScript.withSystem("You are a research agent.",
                user("Compare the weather in four cities"),
                assistant("First, the list of cities.", call("call_list", "list_cities", "{}")),
                results(result("call_list", "Paris, Rome, Oslo, Lima")),
                assistant(null,
                        call("call_p", "get_weather", "{\"city\": \"Paris\"}"),
                        call("call_r", "get_weather", "{\"city\": \"Rome\"}"),
                        call("call_o", "get_weather", "{\"city\": \"Oslo\"}"),
                        call("call_l", "get_weather", "{\"city\": \"Lima\"}")),
                results(result("call_p", "18°C"), result("call_r", "24°C"), result("call_o", "7°C"),
                        result("call_l", "21°C")),
                assistant("Rome is the warmest."),
                user("And the coldest?"));

        List<String> sessionIds = broadcast(format, research);

        assertThat(sessionIds).containsOnly(sessionIds.get(0));
        assertThat(tracker.metrics().sessionsFragmented()).isZero();
    }

    @ParameterizedTest
    @EnumSource(ApiFormat.class)
    void identicalStartsInFlightTogetherStaySeparate(ApiFormat format) {
        String system = "You are a math assistant.";
        ConversationScript start = ConversationScript.withSystem(system, user("Calculate the square root of 144"));
        ConversationScript a = start.then(assistant(null, call("call_a", "sqrt", "{\"n\": 144}")),
                results(result("call_a", "12.0")), assistant("The square root of 144 is 12."),
                user("Now calculate sqrt(36)"));
        ConversationScript b = start.then(assistant(null, call("call_b", "sqrt", "{\"n\": 144}")),
                results(result("call_b", "12.0")), assistant("The square root of 144 is 12."),
                user("Now calculate sqrt(49)"));

        SessionMatch startA = send(format, a, 1);
        SessionMatch startB = send(format, b, 1);
        SessionMatch toolA = send(format, a, 3);
        SessionMatch toolB = send(format, b, 3);
        SessionMatch followUpA = send(format, a, 5);
        SessionMatch followUpB = send(format, b, 5);

        assertThat(startA.isNew()).isTrue();
        assertThat(startB.isNew()).isTrue();
        assertThat(startA.sessionId()).isNotEqualTo(startB.sessionId());
        assertThat(List.of(toolA, followUpA)).extracting(SessionMatch::sessionId).containsOnly(startA.sessionId());
        assertThat(List.of(toolB, followUpB)).extracting(SessionMatch::sessionId).containsOnly(startB.sessionId());
        assertThat(List.of(toolA, toolB, followUpA, followUpB)).noneMatch(SessionMatch::isNew);
        assertThat(tracker.metrics().sessionsCreated()).isEqualTo(2);
        assertThat(tracker.metrics().sessionsFragmented()).isZero();
    }

    @ParameterizedTest
    @EnumSource(ApiFormat.class)
    void unknownMiddleOfAConversationIsANewFragmentedSession(ApiFormat format) {
        SessionMatch match = send(format, GREETING, 5);

        assertThat(match.isNew()).isTrue();
        assertThat(match.isFragmented()).isTrue();
        assertThat(tracker.metrics().sessionsFragmented()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(ApiFormat.class)
    void metricsCountCreatedSessionsHitsAndMisses(ApiFormat format) {
        broadcast(format, GREETING);
        send(format, ConversationScript.of(user("Another topic")), 1);

        SessionMetrics metrics = tracker.metrics();
        assertThat(metrics.sessionsCreated()).isEqualTo(2);
        assertThat(metrics.cacheMisses()).isEqualTo(2);
        assertThat(metrics.cacheHits()).isEqualTo(4);
        assertThat(metrics.activeSessions()).isEqualTo(2);
        assertThat(metrics.toMap()).containsEntry("sessions_created", 2L).containsEntry("active_sessions", 2)
                .containsEntry("max_sessions", SessionConfig.DEFAULT_MAX_SESSIONS);
    }
}
