package io.gatehouse.replay;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.pipeline.Json;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class JsonDiffTest {

    @Test
    void namesEveryChangedAddedAndRemovedValueByItsPath() {
        JsonNode recorded = json("{\"a\":{\"b\":[1,2,3]},\"same\":true,\"gone\":\"x\",\"odd key\":1}");
        JsonNode live = json("{\"a\":{\"b\":[1,5]},\"same\":true,\"new\":[],\"odd key\":2,\"refusal\":null}");

        assertThat(new JsonDiff(List.of()).compare(recorded, live)).containsExactly(
                new Difference("$.a.b[1]", "2", "5"),
                new Difference("$.a.b[2]", "3", "(absent)"),
                new Difference("$.gone", "\"x\"", "(absent)"),
                new Difference("$[\"odd key\"]", "1", "2"),
                new Difference("$.new", "(absent)", "[]"));
    }

    @Test
    void ignoresVolatileFieldsAtAnyDepthAndComparesNumbersByValue() {
        JsonNode recorded = json("{\"id\":\"a\",\"created\":1,\"system_fingerprint\":\"f1\",\"n\":1,"
                + "\"tool_calls\":[{\"id\":\"call_1\",\"name\":\"t\"}]}");
        JsonNode live = json("{\"id\":\"b\",\"created\":2,\"system_fingerprint\":\"f2\",\"n\":1.0,"
                + "\"tool_calls\":[{\"id\":\"call_2\",\"name\":\"t\"}]}");

        assertThat(new JsonDiff(List.of()).compare(recorded, live)).isEmpty();
    }

    @Test
    void ignoresAFieldByNameOrByPathWhenAsked() {
        JsonNode recorded = json("{\"usage\":{\"total_tokens\":8},\"choices\":[{\"text\":\"a\"},{\"text\":\"b\"}]}");
        JsonNode live = json("{\"usage\":{\"total_tokens\":9},\"choices\":[{\"text\":\"x\"},{\"text\":\"y\"}]}");

        assertThat(new JsonDiff(List.of("usage", "choices[0].text")).compare(recorded, live))
                .containsExactly(new Difference("$.choices[1].text", "\"b\"", "\"y\""));
        assertThat(new JsonDiff(List.of("$.usage.total_tokens", "text")).compare(recorded, live)).isEmpty();
    }

    @Test
    void cutsLongValuesShort() {
        String longText = "x".repeat(500);
        Difference difference = new JsonDiff(List.of()).compare(json("{\"t\":\"a\"}"),
                json("{\"t\":\"" + longText + "\"}")).get(0);

        assertThat(difference.live()).hasSize(80).endsWith("…");
    }

    private static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
