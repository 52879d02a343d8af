package io.gatehouse.cost;

import com.fasterxml.jackson.databind.JsonNode;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.EncodingType;
import io.gatehouse.pipeline.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Token counts against published tiktoken numbers. Every expected number below comes from OpenAI's cookbook notebook
 * "How to count tokens with tiktoken" (github.com/openai/openai-cookbook, examples/How_to_count_tokens_with_tiktoken.ipynb):
 * its encoded example string, its {@code compare_encodings} outputs, and its {@code num_tokens_from_messages} example,
 * which the notebook checks against the counts the OpenAI API reported.
 */
class TokenCounterTest {

    /** The notebook's six example messages (system, named examples, user). */
    private static final JsonNode COOKBOOK_MESSAGES = json("""
            [
              {"role": "system", "content": "You are a helpful, pattern-following assistant that translates corporate jargon into plain English."},
              {"role": "system", "name": "example_user", "content": "New synergies will help drive top-line growth."},
              {"role": "system", "name": "example_assistant", "content": "Things working well together will increase revenue."},
              {"role": "system", "name": "example_user", "content": "Let's circle back when we have more bandwidth to touch base on opportunities for increased leverage."},
              {"role": "system", "name": "example_assistant", "content": "Let's talk later when we're less busy about how to do better."},
              {"role": "user", "content": "This late pivot means we don't have time to boil the ocean for the client deliverable."}
            ]
            """);

    @ParameterizedTest(name = "{0} uses {1}")
    @CsvSource({
            "gpt-4o, O200K_BASE", "gpt-4o-mini-2024-07-18, O200K_BASE", "gpt-4.1-nano, O200K_BASE", "o1, O200K_BASE",
            "o3-mini, O200K_BASE", "o4-mini, O200K_BASE", "gpt-5, O200K_BASE", "gpt-5-mini, O200K_BASE",
            "ft:gpt-4o-mini-2024-07-18:acme::abc123, O200K_BASE",
            "gpt-4, CL100K_BASE", "gpt-4-turbo, CL100K_BASE", "gpt-3.5-turbo, CL100K_BASE",
            "text-embedding-3-small, CL100K_BASE", "text-embedding-ada-002, CL100K_BASE",
            "claude-sonnet-4-5, CL100K_BASE", "gemini-2.5-pro, CL100K_BASE"})
    void encodingPerModelFamily(String model, EncodingType expected) {
        assertThat(TokenCounter.encodingFor(model)).isEqualTo(expected);
    }

    @Test
    void anthropicGeminiAndUnknownModelsAreEstimates() {
        assertThat(TokenCounter.isEstimate("claude-opus-4-5-20251101")).isTrue();
        assertThat(TokenCounter.isEstimate("gemini-2.5-flash")).isTrue();
        assertThat(TokenCounter.isEstimate("llama-3.1-70b")).isTrue();
        assertThat(TokenCounter.isEstimate("gpt-4o")).isFalse();
        assertThat(TokenCounter.isEstimate("gpt-3.5-turbo")).isFalse();
        assertThat(TokenCounter.isEstimate("text-embedding-3-large")).isFalse();
    }

    /** The notebook's "Turn text into tokens" example, cl100k_base. */
    @Test
    void cookbookExampleString() {
        assertThat(Encodings.newDefaultEncodingRegistry().getEncoding(TokenCounter.encodingFor("gpt-4"))
                .encode("tiktoken is great!").toArray()).containsExactly(83, 1609, 5963, 374, 2294, 0);
        assertThat(TokenCounter.countText("gpt-4", "tiktoken is great!")).isEqualTo(6);
    }

    /** The notebook's compare_encodings outputs: the token ids tell the two encodings apart. */
    @Test
    void cookbookCompareEncodings() {
        var registry = Encodings.newDefaultEncodingRegistry();
        assertThat(registry.getEncoding(TokenCounter.encodingFor("gpt-3.5-turbo")).encode("antidisestablishmentarianism")
                .toArray()).containsExactly(519, 85342, 34500, 479, 8997, 2191);
        assertThat(registry.getEncoding(TokenCounter.encodingFor("gpt-4o")).encode("antidisestablishmentarianism")
                .toArray()).containsExactly(493, 129901, 376, 160388, 21203, 2367);
        assertThat(registry.getEncoding(TokenCounter.encodingFor("gpt-4")).encode("2 + 2 = 4").toArray())
                .containsExactly(17, 489, 220, 17, 284, 220, 19);
        assertThat(registry.getEncoding(TokenCounter.encodingFor("gpt-4o")).encode("2 + 2 = 4").toArray())
                .containsExactly(17, 659, 220, 17, 314, 220, 19);
        assertThat(TokenCounter.countText("gpt-4", "お誕生日おめでとう")).isEqualTo(9);
        assertThat(TokenCounter.countText("gpt-4o", "お誕生日おめでとう")).isEqualTo(8);
    }

    /** num_tokens_from_messages on the example messages: 129 for the cl100k models, 124 for gpt-4o and gpt-4o-mini. */
    @ParameterizedTest(name = "{0}: {1} prompt tokens")
    @CsvSource({"gpt-3.5-turbo, 129", "gpt-4-0613, 129", "gpt-4, 129", "gpt-4o, 124", "gpt-4o-mini, 124"})
    void cookbookMessages(String model, int expected) {
        assertThat(TokenCounter.countChatMessages(model, COOKBOOK_MESSAGES)).isEqualTo(expected);
        assertThat(TokenCounter.countInput(Endpoint.CHAT, model,
                Json.MAPPER.createObjectNode().put("model", model).set("messages", COOKBOOK_MESSAGES))).isEqualTo(expected);
    }

    @Test
    void perMessageOverheadNameAndReplyPriming() {
        // 3 per message + "user" (1) + "hello world" (2) + 3 reply priming.
        assertThat(TokenCounter.countChatMessages("gpt-4o", json("[{\"role\":\"user\",\"content\":\"hello world\"}]")))
                .isEqualTo(9);
        // A name costs its own tokens and one more.
        assertThat(TokenCounter.countChatMessages("gpt-4o",
                json("[{\"role\":\"user\",\"name\":\"bob\",\"content\":\"hello world\"}]")))
                .isEqualTo(9 + TokenCounter.countText("gpt-4o", "bob") + 1);
        // Each further message adds 3 besides its fields.
        assertThat(TokenCounter.countChatMessages("gpt-4o",
                json("[{\"role\":\"user\",\"content\":\"hello world\"},{\"role\":\"user\",\"content\":\"hello world\"}]")))
                .isEqualTo(15);
        assertThat(TokenCounter.countChatMessages("gpt-4o", json("[]"))).isEqualTo(3);
    }

    @Test
    void multiPartContentCountsItsTextPartsOnly() {
        JsonNode parts = json("""
                [{"role":"user","content":[{"type":"text","text":"hello world"},
                  {"type":"image_url","image_url":{"url":"https://example.com/a-very-long-image-url-that-is-not-text.png"}},
                  {"type":"text","text":"hello world"}]}]""");
        assertThat(TokenCounter.countChatMessages("gpt-4o", parts)).isEqualTo(3 + 1 + 2 + 2 + 3);
    }

    @Test
    void toolCallsCountTheirNameAndArguments() {
        String arguments = "{\\\"city\\\":\\\"Paris\\\"}";
        JsonNode messages = json("""
                [{"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function",
                  "function":{"name":"get_weather","arguments":"%s"}}]},
                 {"role":"tool","tool_call_id":"call_1","content":"sunny"}]""".formatted(arguments));
        int expected = 3 + count("assistant") + count("get_weather") + count("{\"city\":\"Paris\"}")
                + 3 + count("tool") + count("call_1") + count("sunny") + 3;
        assertThat(TokenCounter.countChatMessages("gpt-4o", messages)).isEqualTo(expected);
    }

    @Test
    void toolDefinitionsCountAsTheirJson() {
        String tools = "[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"parameters\":{\"type\":\"object\"}}}]";
        JsonNode withTools = json("{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hello world\"}],\"tools\":" + tools + "}");
        assertThat(TokenCounter.countInput(Endpoint.CHAT, "gpt-4o", withTools)).isEqualTo(9 + count(json(tools).toString()));
    }

    @Test
    void responsesInputAsTextOrItems() {
        assertThat(TokenCounter.countInput(Endpoint.RESPONSES, "gpt-4.1",
                json("{\"model\":\"gpt-4.1\",\"input\":\"hello world\"}"))).isEqualTo(3 + 2 + 3);
        assertThat(TokenCounter.countInput(Endpoint.RESPONSES, "gpt-4.1", json("""
                {"model":"gpt-4.1","instructions":"hello world","input":[
                  {"role":"user","content":[{"type":"input_text","text":"hello world"}]},
                  {"type":"function_call_output","call_id":"c1","output":"sunny"}]}""")))
                .isEqualTo(3 + (3 + 2) + (3 + 1 + 2) + (3 + count("sunny")));
    }

    @Test
    void anthropicMessagesAreEstimatedWithTheSameOverheads() {
        JsonNode request = json("""
                {"model":"claude-sonnet-4-5","max_tokens":100,"system":"hello world",
                 "messages":[{"role":"user","content":[{"type":"text","text":"hello world"}]},
                             {"role":"assistant","content":[{"type":"tool_use","id":"t1","name":"get_weather","input":{"city":"Paris"}}]},
                             {"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":"sunny"}]}]}""");
        String model = "claude-sonnet-4-5";
        long expected = 3 + (3 + 2) + (3 + count("user") + 2)
                + (3 + count("assistant") + count("get_weather") + count("{\"city\":\"Paris\"}"))
                + (3 + count("user") + count("sunny"));
        assertThat(TokenCounter.countInput(Endpoint.MESSAGES, model, request)).isEqualTo(expected);
    }

    @Test
    void embeddingsCountEachInputAndPreTokenizedInputByLength() {
        assertThat(TokenCounter.countInput(Endpoint.EMBEDDINGS, "text-embedding-3-small",
                json("{\"input\":[\"hello world\",\"tiktoken is great!\"]}"))).isEqualTo(8);
        assertThat(TokenCounter.countInput(Endpoint.EMBEDDINGS, "text-embedding-3-small",
                json("{\"input\":[[1,2,3],[4,5]]}"))).isEqualTo(5);
    }

    @Test
    void outputOfEachApi() {
        assertThat(TokenCounter.countOutput(Endpoint.CHAT, "gpt-4o", json("""
                {"choices":[{"message":{"role":"assistant","content":"hello world",
                  "tool_calls":[{"function":{"name":"get_weather","arguments":"{}"}}]}}]}""")))
                .isEqualTo(2 + count("get_weather") + count("{}"));
        assertThat(TokenCounter.countOutput(Endpoint.RESPONSES, "gpt-4.1", json("""
                {"output":[{"type":"message","content":[{"type":"output_text","text":"hello world"}]},
                           {"type":"function_call","name":"get_weather","arguments":"{}"}]}""")))
                .isEqualTo(2 + count("get_weather") + count("{}"));
        assertThat(TokenCounter.countOutput(Endpoint.MESSAGES, "claude-haiku-4-5",
                json("{\"content\":[{\"type\":\"text\",\"text\":\"hello world\"}]}"))).isEqualTo(2);
        assertThat(TokenCounter.countOutput(Endpoint.EMBEDDINGS, "text-embedding-3-small",
                json("{\"data\":[{\"embedding\":[0.1]}]}"))).isZero();
    }

    @Test
    void specialTokenLookalikesAreCountedAsText() {
        assertThat(TokenCounter.countText("gpt-4o", "<|endoftext|>")).isGreaterThan(1);
    }

    private static int count(String text) {
        return TokenCounter.countText("gpt-4o", text);
    }

    private static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
