package io.gatehouse.policy;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.pipeline.Json;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ParamRuleTest {
    private static String violation(String path, List<String> patterns, String body) throws Exception {
        JsonNode json = Json.MAPPER.readTree(body);
        return ParamRule.compile(path, patterns).violation(json);
    }

    @Test
    void aTopLevelStringMustMatchOneGlob() throws Exception {
        List<String> models = List.of("gpt-4o*", "gpt-4.1-*");
        assertThat(violation("model", models, "{\"model\":\"gpt-4o-mini\"}")).isNull();
        assertThat(violation("model", models, "{\"model\":\"gpt-4.1-nano\"}")).isNull();
        assertThat(violation("model", models, "{\"model\":\"gpt-5\"}"))
                .isEqualTo("Parameter 'model' value 'gpt-5' is not allowed. Allowed patterns: [gpt-4o*, gpt-4.1-*]");
    }

    @Test
    void anAbsentOrNullFieldIsAllowed() throws Exception {
        assertThat(violation("model", List.of("x"), "{}")).isNull();
        assertThat(violation("model", List.of("x"), "{\"model\":null}")).isNull();
        assertThat(violation("response_format.type", List.of("text"), "{\"response_format\":null}")).isNull();
        assertThat(violation("response_format.type", List.of("text"), "{\"model\":\"m\"}")).isNull();
    }

    @Test
    void dottedPathsReachNestedFields() throws Exception {
        List<String> types = List.of("text", "json_schema");
        assertThat(violation("response_format.type", types, "{\"response_format\":{\"type\":\"json_schema\"}}")).isNull();
        assertThat(violation("response_format.type", types, "{\"response_format\":{\"type\":\"json_object\"}}"))
                .isEqualTo("Parameter 'response_format.type' value 'json_object' is not allowed. Allowed patterns: [text, json_schema]");
        assertThat(violation("a.b.c", List.of("ok"), "{\"a\":{\"b\":{\"c\":\"no\"}}}")).contains("'no'");
    }

    @Test
    void everyListElementIsChecked() throws Exception {
        String tools = """
                {"tools":[{"type":"function","function":{"name":"get_weather"}},
                          {"type":"function","function":{"name":"delete_everything"}}]}""";
        assertThat(violation("tools[].function.name", List.of("get_*"), tools))
                .isEqualTo("Parameter 'tools[].function.name' value 'delete_everything' is not allowed. Allowed patterns: [get_*]");
        assertThat(violation("tools[].function.name", List.of("get_*", "delete_*"), tools)).isNull();
        assertThat(violation("tools.function.name", List.of("get_*"), tools)).as("lists are walked even without []")
                .contains("delete_everything");
        assertThat(violation("messages[].role", List.of("user", "assistant"),
                "{\"messages\":[{\"role\":\"user\"},{\"role\":\"system\"}]}")).contains("'system'");
    }

    @Test
    void aListWhereOneValueWasExpectedCannotSlipPast() throws Exception {
        assertThat(violation("model", List.of("gpt-4o"), "{\"model\":[\"gpt-4o\",\"gpt-5\"]}")).contains("'gpt-5'");
        assertThat(violation("stop", List.of("END"), "{\"stop\":\"END\"}")).isNull();
        assertThat(violation("stop", List.of("END"), "{\"stop\":[\"END\",\"STOP\"]}")).contains("'STOP'");
        assertThat(violation("stop[]", List.of("END"), "{\"stop\":[[\"STOP\"]]}")).contains("'STOP'");
    }

    @Test
    void anObjectNeverMatches() throws Exception {
        assertThat(violation("response_format", List.of("*"), "{\"response_format\":{\"type\":\"text\"}}"))
                .isEqualTo("Parameter 'response_format' value (an object) is not allowed. Allowed patterns: [*]");
    }

    @Test
    void numbersCompareNumericallyNotByTheirText() throws Exception {
        List<String> temperatures = List.of("0", "0.5", "1");
        assertThat(violation("temperature", temperatures, "{\"temperature\":1.0}")).isNull();
        assertThat(violation("temperature", temperatures, "{\"temperature\":1}")).isNull();
        assertThat(violation("temperature", temperatures, "{\"temperature\":5e-1}")).isNull();
        assertThat(violation("temperature", temperatures, "{\"temperature\":0.0}")).isNull();
        assertThat(violation("temperature", temperatures, "{\"temperature\":0.7}"))
                .isEqualTo("Parameter 'temperature' value '0.7' is not allowed. Allowed patterns: [0, 0.5, 1]");
        assertThat(violation("max_tokens", List.of("1000000"), "{\"max_tokens\":1e6}")).as("not Go's %v '1e+06'").isNull();
        assertThat(violation("max_tokens", List.of("1???"), "{\"max_tokens\":1024}")).as("a glob sees the plain digits").isNull();
        assertThat(violation("max_tokens", List.of("1???"), "{\"max_tokens\":20000}")).contains("'20000'");
        assertThat(violation("n", List.of("1"), "{\"n\":\"1\"}")).as("a string is matched as text").isNull();
    }

    @Test
    void booleansMatchTheirWords() throws Exception {
        assertThat(violation("stream", List.of("false"), "{\"stream\":false}")).isNull();
        assertThat(violation("stream", List.of("false"), "{\"stream\":true}"))
                .isEqualTo("Parameter 'stream' value 'true' is not allowed. Allowed patterns: [false]");
    }

    @Test
    void aLongRefusedValueIsShortened() throws Exception {
        String longModel = "m".repeat(500);
        assertThat(violation("model", List.of("gpt-*"), "{\"model\":\"" + longModel + "\"}"))
                .contains("'" + "m".repeat(100) + "…'").doesNotContain("m".repeat(101));
    }

    @Test
    void onlyFieldPathsCompile() {
        for (String bad : List.of("", ".model", "model.", "a..b", "tools[0].name", "a[]b", "a[", "[]")) {
            assertThatThrownBy(() -> ParamRule.compile(bad, List.of("x"))).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        for (String good : List.of("model", "response_format.type", "tools[].function.name", "stop[]", "a-b.c_d")) {
            assertThatCode(() -> ParamRule.compile(good, List.of("x"))).as(good).doesNotThrowAnyException();
        }
    }
}
