package io.gatehouse.recording;

import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.events.Event;
import io.gatehouse.pipeline.Json;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RedactionTest {
    private static final String KEY = "sk-redaction-test-0123456789abcdef";

    private static Event eventWithSecrets() {
        ObjectNode attributes = Json.MAPPER.createObjectNode().put("session.id", "s1").put("tokens", 12).put("cost", 0.25);
        attributes.putObject("llm.request.data").put("model", "gpt-4o").putNull("stop")
                .putArray("messages").addObject().put("role", "user").put("content", "my key is " + KEY + ", \"quoted\"\n");
        attributes.putObject(KEY).put("note", "a field name is left alone");
        return Event.of(Event.LLM_CALL_START, Event.INFO, "s1", "agent " + KEY, "0123456789abcdef", attributes);
    }

    @Test
    void headersKeepTheirOrderWithCredentialsHiddenAndKeysMasked() {
        Map<String, String> collected = new LinkedHashMap<>();
        collected.put("x-trace", "note " + KEY);
        collected.put("authorization", "Bearer abc");
        collected.put("content-type", "application/json");
        assertThat(Redaction.headers(collected, true).toString())
                .isEqualTo("{\"x-trace\":\"note ****cdef\",\"authorization\":\"[REDACTED]\",\"content-type\":\"application/json\"}");
        assertThat(Redaction.headers(collected, false).path("authorization").asText()).isEqualTo("Bearer abc");
    }

    @Test
    void redactedJsonIsWhatTheRedactedTreeWouldWrite() throws Exception {
        Event event = eventWithSecrets();
        for (ObjectWriter writer : new ObjectWriter[]{Json.MAPPER.writer(), Json.MAPPER.writerWithDefaultPrettyPrinter()}) {
            byte[] viaTree = writer.writeValueAsBytes(Redaction.strings(Json.MAPPER.valueToTree(event), Redaction::secrets));
            byte[] direct = Redaction.json(writer, event, Redaction::secrets);
            assertThat(new String(direct, StandardCharsets.UTF_8)).isEqualTo(new String(viaTree, StandardCharsets.UTF_8));
        }
    }

    @Test
    void redactedJsonMasksEveryStringValueButNoName() throws Exception {
        String json = new String(Redaction.json(Json.MAPPER.writer(), eventWithSecrets(), Redaction::secrets), StandardCharsets.UTF_8);
        assertThat(json).contains("\"my key is ****cdef, \\\"quoted\\\"\\n\"", "\"agent_id\":\"agent ****cdef\"", "\"" + KEY + "\":{");
        assertThat(json.replace("\"" + KEY + "\":{", "")).doesNotContain(KEY);
    }

    @Test
    void credentialsAreFoundInAnyCaseOfTheirWordsAndProseIsLeftAsItIs() {
        assertThat(Redaction.credentials("PASSWORD= hunter2hunter2; Api-Key: ABCDEFGHIJKLMNOPQRSTUVWX; "
                + "authorization: BEARER abcdefghijklmnopqrstuvwxyz; Secrets: 'opensesame1'"))
                .isEqualTo("PASSWORD= [REDACTED]; Api-Key: [REDACTED]; authorization: BEARER [REDACTED]; "
                        + "Secrets: '[REDACTED]'");
        // Two patterns in one text: the second is looked for in what the first left.
        assertThat(Redaction.credentials("Token=abcdefgh12 then TOKEN: ijklmnop34"))
                .isEqualTo("Token=[REDACTED] then TOKEN: [REDACTED]");
        String prose = "A concise assistant's secret to a patient, calm token of trust: credentials are passed on.";
        assertThat(Redaction.credentials(prose)).isSameAs(prose);
    }
}
