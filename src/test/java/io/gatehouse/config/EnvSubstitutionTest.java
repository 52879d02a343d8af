package io.gatehouse.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EnvSubstitutionTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Predicate<ConfigPath> NO_TEXT_KEYS = path -> false;
    private static final Map<String, String> ENV = Map.of("A", "alpha", "B", "beta", "EMPTY", "", "PORT", "8080",
            "RATIO", "0.5", "FLAG", "true", "ZEROS", "0123");

    private static JsonNode expand(String value) {
        return expand(value, NO_TEXT_KEYS);
    }

    private static JsonNode expand(String value, Predicate<ConfigPath> isTextKey) {
        JsonNode tree = JSON.createObjectNode().set("llm", JSON.createObjectNode().put("value", value));
        return EnvSubstitution.apply(tree, ENV, isTextKey).path("llm").path("value");
    }

    @Test
    void replacesAVariable() {
        assertThat(expand("${A}")).isEqualTo(TextNode.valueOf("alpha"));
    }

    @Test
    void usesTheDefaultOnlyWhenTheVariableIsUnsetOrEmpty() {
        assertThat(expand("${UNSET:-fallback}").textValue()).isEqualTo("fallback");
        assertThat(expand("${EMPTY:-fallback}").textValue()).isEqualTo("fallback");
        assertThat(expand("${A:-fallback}").textValue()).isEqualTo("alpha");
        assertThat(expand("${UNSET:-}").textValue()).isEmpty();
    }

    @Test
    void expandsSeveralReferencesWithTextAround() {
        assertThat(expand("https://${A}.example/${B}/v1?x=${UNSET:-d}!").textValue())
                .isEqualTo("https://alpha.example/beta/v1?x=d!");
    }

    @Test
    void anEmptyVariableWithoutDefaultIsEmpty() {
        assertThat(expand("[${EMPTY}]").textValue()).isEqualTo("[]");
    }

    @Test
    void anUnsetVariableWithoutDefaultNamesTheKeyAndTheVariable() {
        assertThatThrownBy(() -> expand("x ${NOT_SET_ANYWHERE} y"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("llm.value: environment variable NOT_SET_ANYWHERE is not set");
    }

    @Test
    void theErrorPathCoversListsAndNesting() {
        JsonNode tree = JSON.createObjectNode().set("providers",
                JSON.createArrayNode().add(JSON.createObjectNode()).add(JSON.createObjectNode().put("api_key", "${NOPE}")));
        assertThatThrownBy(() -> EnvSubstitution.apply(tree, ENV, NO_TEXT_KEYS))
                .hasMessageStartingWith("providers[1].api_key: environment variable NOPE is not set");
    }

    @Test
    void doubleDollarIsALiteral() {
        assertThat(expand("$${A}").textValue()).isEqualTo("${A}");
        assertThat(expand("$${A} is ${A}").textValue()).isEqualTo("${A} is alpha");
        assertThat(expand("costs $5 and $$").textValue()).isEqualTo("costs $5 and $$");
    }

    @Test
    void aWholeReferenceBecomesANumberOrBoolean() {
        assertThat(expand("${PORT}").isInt()).isTrue();
        assertThat(expand("${PORT}").intValue()).isEqualTo(8080);
        assertThat(expand("${UNSET:-4000}").intValue()).isEqualTo(4000);
        assertThat(expand("${RATIO}").isDouble()).isTrue();
        assertThat(expand("${RATIO}").doubleValue()).isEqualTo(0.5);
        assertThat(expand("${FLAG}").isBoolean()).isTrue();
        assertThat(expand("${UNSET:-false}").booleanValue()).isFalse();
    }

    @Test
    void textAroundAReferenceKeepsItText() {
        assertThat(expand(":${PORT}").isTextual()).isTrue();
        assertThat(expand("${PORT}${PORT}").textValue()).isEqualTo("80808080");
    }

    @Test
    void leadingZerosAndTextKeysStayText() {
        assertThat(expand("${ZEROS}")).isEqualTo(TextNode.valueOf("0123"));
        assertThat(expand("${PORT}", path -> true)).isEqualTo(TextNode.valueOf("8080"));
    }

    @Test
    void anUnterminatedReferenceIsAnError() {
        assertThatThrownBy(() -> expand("${A")).hasMessageStartingWith("llm.value: unterminated ${");
    }

    @Test
    void aMalformedReferenceDoesNotEchoItsDefault() {
        assertThatThrownBy(() -> expand("${1BAD:-sk-secret-default-value}"))
                .hasMessageStartingWith("llm.value: invalid variable reference")
                .hasMessageNotContaining("sk-secret-default-value");
    }

    @Test
    void nonStringsAndKeysAreUntouched() {
        JsonNode tree = JSON.createObjectNode().put("${A}", 3).put("n", 1.5).put("b", true);
        assertThat(EnvSubstitution.apply(tree, ENV, NO_TEXT_KEYS)).isEqualTo(tree);
    }
}
