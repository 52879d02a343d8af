package io.gatehouse.session;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SessionConfigTest {
    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void emptyBlockHasTheSeedReadmeDefaults() throws Exception {
        SessionConfig config = mapper.readValue("{}", SessionConfig.class);

        assertThat(config).isEqualTo(SessionConfig.defaults());
        assertThat(config.enabled()).isTrue();
        assertThat(config.maxSessions()).isEqualTo(10_000);
        assertThat(config.sessionTtlSeconds()).isEqualTo(3600);
        assertThat(config.enableFuzzyMatching()).isFalse();
        assertThat(config.similarityThreshold()).isEqualTo(0.85);
        assertThat(config.maxMessagesForNewSession()).isEqualTo(3);
        assertThat(config.resetPhrases()).containsExactly("start over", "new conversation", "reset", "clear",
                "begin again", "fresh start", "new session", "new chat");
    }

    @Test
    void readsSnakeCaseKeys() throws Exception {
        SessionConfig config = mapper.readValue("""
                {"enabled": false, "max_sessions": 500, "session_ttl_seconds": 60, "enable_fuzzy_matching": true,
                 "similarity_threshold": 0.9, "max_messages_for_new_session": 5, "reset_phrases": ["restart"]}""",
                SessionConfig.class);

        assertThat(config).isEqualTo(new SessionConfig(false, 500, 60L, true, 0.9, 5, java.util.List.of("restart")));
    }
}
