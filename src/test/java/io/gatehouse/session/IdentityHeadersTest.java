package io.gatehouse.session;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

class IdentityHeadersTest {

    private static CallIdentity parse(String... namesAndValues) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            headers.add(namesAndValues[i], namesAndValues[i + 1]);
        }
        return IdentityHeaders.parse(headers, "wf-7");
    }

    private static Map<String, String> tags(String header) {
        return parse("x-cylestio-tags", header).tags();
    }

    @Test
    void noHeadersMeanNoIdentityButTheWorkflowIsKept() {
        CallIdentity identity = parse();
        assertThat(identity.externalSessionId()).isNull();
        assertThat(identity.agentId()).isNull();
        assertThat(identity.tags()).isEmpty();
        assertThat(identity.workflowId()).isEqualTo("wf-7");
        assertThat(identity.withDefaultAgentId(() -> "prompt-abc").agentId()).isEqualTo("prompt-abc");
    }

    @Test
    void ownHeaders() {
        CallIdentity identity = parse("X-Gatehouse-Session-Id", " s-1 ", "x-gatehouse-agent-id", "agent-9",
                "x-gatehouse-tags", "team:search,beta");
        assertThat(identity.externalSessionId()).isEqualTo("s-1");
        assertThat(identity.agentId()).isEqualTo("agent-9");
        assertThat(identity.tags()).containsExactly(entry("team", "search"), entry("beta", "true"));
        assertThat(identity.withDefaultAgentId(() -> "prompt-abc").agentId()).isEqualTo("agent-9");
    }

    @Test
    void seed220SessionAndAgentHeaders() {
        CallIdentity identity = parse("x-cylestio-session-id", "conv-1", "x-cylestio-agent-id", "old-agent");
        assertThat(identity.externalSessionId()).isEqualTo("conv-1");
        assertThat(identity.agentId()).isEqualTo("old-agent");
        assertThat(identity.tags()).isEmpty();
    }

    @Test
    void seed23ConversationIdTurnsTheSessionHeaderIntoATag() {
        CallIdentity identity = parse("x-cylestio-conversation-id", "conv-2", "x-cylestio-session-id", "run-5",
                "x-cylestio-prompt-id", "new-agent", "x-cylestio-agent-id", "old-agent", "x-cylestio-tags", "env:prod");
        assertThat(identity.externalSessionId()).isEqualTo("conv-2");
        assertThat(identity.agentId()).isEqualTo("new-agent");
        assertThat(identity.tags()).containsExactly(entry("session", "run-5"), entry("env", "prod"));
    }

    @Test
    void ownHeadersWinOverTheSeeds() {
        CallIdentity identity = parse("x-gatehouse-session-id", "mine", "x-cylestio-conversation-id", "theirs",
                "x-gatehouse-agent-id", "my-agent", "x-cylestio-prompt-id", "their-agent");
        assertThat(identity.externalSessionId()).isEqualTo("mine");
        assertThat(identity.agentId()).isEqualTo("my-agent");
    }

    @Test
    void blankHeadersCountAsAbsent() {
        CallIdentity identity = parse("x-gatehouse-session-id", "  ", "x-cylestio-conversation-id", "",
                "x-cylestio-session-id", "legacy", "x-gatehouse-agent-id", " ");
        assertThat(identity.externalSessionId()).isEqualTo("legacy");
        assertThat(identity.agentId()).isNull();
    }

    @Test
    void tagsSplitOnTheFirstColonTrimAndSkipEmptySegments() {
        assertThat(tags(" k1 : v1 ,, k2 , k3:v:with:colons, :orphan , ,k4:"))
                .containsExactly(entry("k1", "v1"), entry("k2", "true"), entry("k3", "v:with:colons"), entry("k4", ""));
    }

    @Test
    void longKeysAreSkippedAndLongValuesCut() {
        String key64 = "k".repeat(64);
        Map<String, String> tags = tags("k".repeat(65) + ":dropped," + key64 + ":" + "v".repeat(600));
        assertThat(tags).containsOnlyKeys(key64);
        assertThat(tags.get(key64)).hasSize(512);
    }

    @Test
    void atMostFiftyTagsIncludingTheInjectedSession() {
        String sixty = IntStream.range(0, 60).mapToObj(i -> "t" + i).collect(Collectors.joining(","));
        assertThat(tags(sixty)).hasSize(50).containsKey("t49").doesNotContainKey("t50");
        Map<String, String> withSession = parse("x-cylestio-conversation-id", "c", "x-cylestio-session-id", "run",
                "x-cylestio-tags", sixty).tags();
        assertThat(withSession).hasSize(50).containsEntry("session", "run").containsKey("t48").doesNotContainKey("t49");
    }

    @Test
    void aLaterValueOfAKeyWinsEvenAtTheLimit() {
        String fifty = IntStream.range(0, 50).mapToObj(i -> "t" + i).collect(Collectors.joining(","));
        assertThat(tags(fifty + ",t0:again")).hasSize(50).containsEntry("t0", "again");
    }

    @Test
    void anExplicitSessionTagOverridesTheSessionHeader() {
        Map<String, String> tags = parse("x-cylestio-conversation-id", "c", "x-cylestio-session-id", "from-header",
                "x-cylestio-tags", "session:from-tag,a").tags();
        assertThat(tags).containsExactly(entry("session", "from-tag"), entry("a", "true"));
    }

    @Test
    void bothTagHeadersAddUpOwnLast() {
        CallIdentity identity = parse("x-cylestio-tags", "a:1,b:2", "x-gatehouse-tags", "b:3,c");
        assertThat(identity.tags()).containsExactly(entry("a", "1"), entry("b", "3"), entry("c", "true"));
    }

    @Test
    void theResponseIdIsReadFromTheStartOfAPlainBody() {
        assertThat(SessionInterceptor.topLevelId(Buffer.buffer("{\"object\":\"response\",\"meta\":{\"id\":\"inner\"},\"id\":\"resp_1\",\"output\":[")))
                .isEqualTo("resp_1");
        assertThat(SessionInterceptor.topLevelId(Buffer.buffer("{\"object\":\"response\",\"output\":[{\"id\":\"x\""))).isNull();
        assertThat(SessionInterceptor.topLevelId(Buffer.buffer("not json"))).isNull();
    }
}
