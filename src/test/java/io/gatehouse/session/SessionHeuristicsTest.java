package io.gatehouse.session;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static io.gatehouse.session.ConversationScript.assistant;
import static io.gatehouse.session.ConversationScript.call;
import static io.gatehouse.session.ConversationScript.result;
import static io.gatehouse.session.ConversationScript.results;
import static io.gatehouse.session.ConversationScript.user;
import static org.assertj.core.api.Assertions.assertThat;

/** Seed 000's fuzzy matching and reset phrases, which apply only with {@code enable_fuzzy_matching}. */
class SessionHeuristicsTest {

    private static final SessionConfig HEURISTICS_ON = new SessionConfig(null, null, null, true, null, null, null);

    /** A client that stamps its first message: resent, the stamp has changed, so the history no longer matches. */
    private static ConversationScript review(String stamp) {
        return ConversationScript.of(
                user("Please review my pull request about caching " + stamp),
                assistant("Sure. Which file should I start with?"),
                user("Start with CacheLoader.java, then the tests."),
                assistant("CacheLoader looks fine; the tests miss eviction."),
                user("Can you write the eviction test?"));
    }

    private final AtomicLong clock = new AtomicLong();
    private SessionTracker tracker = new SessionTracker(HEURISTICS_ON, SessionListener.NONE, clock::get);

    private SessionMatch send(ApiFormat format, ConversationScript script, int turns) {
        return tracker.detect(script.conversation(format, turns), null);
    }

    @ParameterizedTest
    @EnumSource(ApiFormat.class)
    void slightlyChangedHistoryContinuesTheSimilarSession(ApiFormat format) {
        String sessionId = send(format, review("[ref 1042]"), 1).sessionId();
        send(format, review("[ref 1042]"), 3);

        SessionMatch resent = send(format, review("[ref 1043]"), 5);

        assertThat(resent.sessionId()).isEqualTo(sessionId);
        assertThat(resent.kind()).isEqualTo(SessionMatch.Kind.FUZZY);
        assertThat(resent.isFragmented()).isFalse();
        assertThat(tracker.metrics().fuzzyMatches()).isEqualTo(1);
    }

    @Test
    void withoutHeuristicsTheSameRequestIsFragmented() {
        tracker = new SessionTracker(SessionConfig.defaults(), SessionListener.NONE, clock::get);
        send(ApiFormat.OPENAI_CHAT, review("[ref 1042]"), 3);

        SessionMatch resent = send(ApiFormat.OPENAI_CHAT, review("[ref 1043]"), 5);

        assertThat(resent.isNew()).isTrue();
        assertThat(resent.isFragmented()).isTrue();
        assertThat(tracker.metrics().fuzzyMatches()).isZero();
    }

    @Test
    void whatLooksLikeANewConversationIsNeverFolded() {
        String first = send(ApiFormat.OPENAI_CHAT, review("[ref 1042]"), 3).sessionId();

        SessionMatch start = send(ApiFormat.OPENAI_CHAT, review("[ref 1042]"), 1);
        SessionMatch shortStart = send(ApiFormat.OPENAI_CHAT, review("[ref 1043]"), 3);

        assertThat(start.isNew()).isTrue();
        assertThat(shortStart.sessionId()).isNotEqualTo(first);
        assertThat(shortStart.kind()).isEqualTo(SessionMatch.Kind.NEW);
    }

    @Test
    void dissimilarOrOtherApiOrOlderThanHalfAnHourIsNotMatched() {
        send(ApiFormat.OPENAI_CHAT, review("[ref 1042]"), 3);
        ConversationScript unrelated = ConversationScript.of(user("Translate this poem into German"),
                assistant("Gern. Which poem?"), user("The Raven"), assistant("Here it is."), user("Now in Dutch"));

        assertThat(send(ApiFormat.OPENAI_CHAT, unrelated, 5).kind()).isEqualTo(SessionMatch.Kind.NEW);
        assertThat(send(ApiFormat.ANTHROPIC_MESSAGES, review("[ref 1043]"), 5).kind())
                .isEqualTo(SessionMatch.Kind.NEW);

        clock.addAndGet(TimeUnit.MINUTES.toNanos(31));
        assertThat(send(ApiFormat.OPENAI_CHAT, review("[ref 1044]"), 5).kind()).isEqualTo(SessionMatch.Kind.NEW);
    }

    @Test
    void onlySessionsTheRequestExtendsAreCandidates() {
        send(ApiFormat.OPENAI_CHAT, review("[ref 1042]"), 1);
        send(ApiFormat.OPENAI_CHAT, review("[ref 1042]"), 5);

        SessionMatch shorterVariant = send(ApiFormat.OPENAI_CHAT, review("[ref 1043]").then(), 4);

        assertThat(shorterVariant.kind()).isEqualTo(SessionMatch.Kind.NEW);
    }

    @ParameterizedTest
    @EnumSource(ApiFormat.class)
    void resetPhraseInTheClosingUserMessageStartsANewSession(ApiFormat format) {
        ConversationScript chat = ConversationScript.of(user("Tell me about Paris"), assistant("Paris is lovely."),
                user("OK, let's start over with something else"), assistant("Sure, what?"),
                user("Rome"), assistant(null, call("call_1", "lookup", "{\"city\":\"Rome\"}")),
                results(result("call_1", "Capital of Italy")));
        String before = send(format, chat, 1).sessionId();

        SessionMatch reset = send(format, chat, 3);
        SessionMatch after = send(format, chat, 5);
        SessionMatch toolTurn = send(format, chat, 7);

        assertThat(reset.isNew()).isTrue();
        assertThat(reset.isFragmented()).isFalse();
        assertThat(reset.kind()).isEqualTo(SessionMatch.Kind.RESET);
        assertThat(reset.sessionId()).isNotEqualTo(before);
        assertThat(List.of(after, toolTurn)).extracting(SessionMatch::sessionId).containsOnly(reset.sessionId());
    }

    @ParameterizedTest
    @ValueSource(strings = {"Please CLEAR everything", "Start   over", "new chat, please", "Fresh start!"})
    void resetPhrasesMatchWholeWordsIgnoringCaseAndSpacing(String closing) {
        assertThat(resetAfterGreeting(closing)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"That is unclear to me", "The nuclear option", "Restarting helps"})
    void wordsThatMerelyContainAPhraseDoNotReset(String closing) {
        assertThat(resetAfterGreeting(closing)).isFalse();
    }

    @Test
    void resetPhrasesNeedTheHeuristicsAndAPhraseList() {
        tracker = new SessionTracker(SessionConfig.defaults(), SessionListener.NONE, clock::get);
        assertThat(resetAfterGreeting("start over")).isFalse();

        tracker = new SessionTracker(new SessionConfig(null, null, null, true, null, null, List.of()),
                SessionListener.NONE, clock::get);
        assertThat(resetAfterGreeting("start over")).isFalse();
    }

    private boolean resetAfterGreeting(String closing) {
        ConversationScript script = ConversationScript.of(user("Hello"), assistant("Hi!"), user(closing));
        String first = send(ApiFormat.OPENAI_CHAT, script, 1).sessionId();
        SessionMatch match = send(ApiFormat.OPENAI_CHAT, script, 3);
        return match.kind() == SessionMatch.Kind.RESET && !match.sessionId().equals(first);
    }
}
