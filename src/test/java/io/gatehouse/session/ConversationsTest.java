package io.gatehouse.session;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

import static io.gatehouse.session.ConversationScript.json;
import static org.assertj.core.api.Assertions.assertThat;

class ConversationsTest {

    private static final String PNG_BASE64 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

    @Test
    void openAiChatMessagesWithToolCallsAndImages() {
        Conversation conversation = Conversations.fromOpenAiChat(json("""
                {"model": "gpt-4o", "messages": [
                  {"role": "system", "content": "You are a weather bot."},
                  {"role": "user", "content": [
                    {"type": "text", "text": "What is in this picture, and the weather in Madrid?"},
                    {"type": "image_url", "image_url": {"url": "data:image/png;base64,%s", "detail": "low"}}]},
                  {"role": "assistant", "content": null, "tool_calls": [
                    {"id": "call_123", "type": "function",
                     "function": {"name": "get_weather", "arguments": "{\\"location\\": \\"Madrid\\"}"}}]},
                  {"role": "tool", "tool_call_id": "call_123", "content": "29°C, sunny"}
                ]}""".formatted(PNG_BASE64)));

        assertThat(conversation.format()).isEqualTo(ApiFormat.OPENAI_CHAT);
        assertThat(conversation.systemPrompt()).isEqualTo("You are a weather bot.");
        assertThat(conversation.messages()).extracting(Message::role)
                .containsExactly("system", "user", "assistant", "tool");
        assertThat(conversation.messages()).extracting(Message::origin).containsExactly(
                Message.Origin.SYSTEM, Message.Origin.CLIENT, Message.Origin.LLM, Message.Origin.CLIENT);

        Message user = conversation.messages().get(1);
        assertThat(user.text()).isEqualTo("What is in this picture, and the weather in Madrid?");
        assertThat(user.canonical()).contains("sha256:").doesNotContain(PNG_BASE64);

        Message assistant = conversation.messages().get(2);
        assertThat(assistant.isLlm()).isTrue();
        assertThat(assistant.text()).isEmpty();
        assertThat(assistant.canonical()).contains("call_123", "get_weather", "{\"location\": \"Madrid\"}");

        Message tool = conversation.messages().get(3);
        assertThat(tool.isClient()).isTrue();
        assertThat(tool.canonical()).contains("call_123", "29°C, sunny");
    }

    @Test
    void openAiChatDeveloperMessageIsTheSystemPromptOnlyWithoutASystemMessage() {
        Conversation developerOnly = Conversations.fromOpenAiChat(json("""
                {"messages": [{"role": "developer", "content": [{"type": "text", "text": "Be terse."},
                                                                 {"type": "text", "text": "Answer in French."}]},
                              {"role": "user", "content": "Hi"}]}"""));
        Conversation both = Conversations.fromOpenAiChat(json("""
                {"messages": [{"role": "developer", "content": "Be terse."},
                              {"role": "system", "content": "You are the system."},
                              {"role": "user", "content": "Hi"}]}"""));

        assertThat(developerOnly.systemPrompt()).isEqualTo("Be terse.\nAnswer in French.");
        assertThat(developerOnly.messages().get(0).origin()).isEqualTo(Message.Origin.SYSTEM);
        assertThat(both.systemPrompt()).isEqualTo("You are the system.");
    }

    @Test
    void openAiResponsesItems() {
        Conversation conversation = Conversations.fromOpenAiResponses(json("""
                {"model": "o4-mini", "instructions": "You are a calculator.", "previous_response_id": "resp_abc",
                 "input": [
                   {"role": "user", "content": [{"type": "input_text", "text": "What is 25 + 17?"}]},
                   {"type": "reasoning", "id": "rs_1", "summary": [{"type": "summary_text", "text": "Add them."}],
                    "encrypted_content": "gAAAAB-opaque"},
                   {"type": "function_call", "id": "fc_1", "call_id": "call_add", "name": "add",
                    "arguments": "{\\"a\\": 25, \\"b\\": 17}"},
                   {"type": "function_call_output", "call_id": "call_add", "output": "42"},
                   {"type": "message", "role": "assistant",
                    "content": [{"type": "output_text", "text": "It is 42.", "annotations": []}]},
                   {"type": "item_reference", "id": "msg_old"}
                 ]}"""));

        assertThat(conversation.format()).isEqualTo(ApiFormat.OPENAI_RESPONSES);
        assertThat(conversation.systemPrompt()).isEqualTo("You are a calculator.");
        assertThat(conversation.previousResponseId()).isEqualTo("resp_abc");
        assertThat(conversation.messages()).extracting(Message::role).containsExactly(
                "user", "reasoning", "function_call", "function_call_output", "assistant", "item_reference");
        assertThat(conversation.messages()).extracting(Message::origin).containsExactly(
                Message.Origin.CLIENT, Message.Origin.LLM, Message.Origin.LLM, Message.Origin.CLIENT,
                Message.Origin.LLM, Message.Origin.OTHER);
        assertThat(conversation.messages().get(2).canonical()).contains("call_add", "add", "{\"a\": 25, \"b\": 17}");
        assertThat(conversation.messages().get(3).canonical()).contains("call_add", "42");
        assertThat(conversation.messages().get(4).text()).isEqualTo("It is 42.");
        // It returns the assistant message, so it continues the state before it: user, reasoning, call, output.
        assertThat(conversation.previousStateLength()).isEqualTo(4);
    }

    @Test
    void openAiResponsesStringInputAndSystemPromptOrder() {
        Conversation plain = Conversations.fromOpenAiResponses(json("""
                {"model": "gpt-4.1", "input": "Tell me a joke"}"""));
        Conversation systemItem = Conversations.fromOpenAiResponses(json("""
                {"instructions": "From instructions.",
                 "input": [{"role": "system", "content": "From input."}, {"role": "user", "content": "Hi"}]}"""));
        Conversation developerAndInstructions = Conversations.fromOpenAiResponses(json("""
                {"instructions": "From instructions.",
                 "input": [{"role": "developer", "content": "From developer."}, {"role": "user", "content": "Hi"}]}"""));
        Conversation developerOnly = Conversations.fromOpenAiResponses(json("""
                {"input": [{"role": "developer", "content": "From developer."}, {"role": "user", "content": "Hi"}]}"""));

        assertThat(plain.messages()).singleElement().satisfies(message -> {
            assertThat(message.role()).isEqualTo("user");
            assertThat(message.isClient()).isTrue();
            assertThat(message.text()).isEqualTo("Tell me a joke");
        });
        assertThat(plain.systemPrompt()).isNull();
        assertThat(systemItem.systemPrompt()).isEqualTo("From input.");
        assertThat(developerAndInstructions.systemPrompt()).isEqualTo("From instructions.");
        assertThat(developerOnly.systemPrompt()).isEqualTo("From developer.");
    }

    @Test
    void anthropicBlocks() {
        Conversation conversation = Conversations.fromAnthropic(json("""
                {"model": "claude-sonnet-4-5", "max_tokens": 1024,
                 "system": [{"type": "text", "text": "You are Claude Code."},
                            {"type": "text", "text": "Work in /repo.", "cache_control": {"type": "ephemeral"}}],
                 "messages": [
                   {"role": "user", "content": [
                     {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "%s"}},
                     {"type": "text", "text": "Fix the failing test"}]},
                   {"role": "assistant", "content": [
                     {"type": "thinking", "thinking": "Run the tests first.", "signature": "EqQBCgIYAhIM"},
                     {"type": "tool_use", "id": "toolu_01", "name": "bash", "input": {"command": "mvn test"}}]},
                   {"role": "user", "content": [
                     {"type": "tool_result", "tool_use_id": "toolu_01", "is_error": true,
                      "content": [{"type": "text", "text": "BUILD FAILURE"}]}]}
                 ]}""".formatted(PNG_BASE64)));

        assertThat(conversation.format()).isEqualTo(ApiFormat.ANTHROPIC_MESSAGES);
        assertThat(conversation.systemPrompt()).isEqualTo("You are Claude Code.\nWork in /repo.");
        assertThat(conversation.messages()).extracting(Message::origin).containsExactly(
                Message.Origin.CLIENT, Message.Origin.LLM, Message.Origin.CLIENT);
        assertThat(conversation.messages().get(0).text()).isEqualTo("Fix the failing test");
        assertThat(conversation.messages().get(0).canonical()).contains("image/png", "sha256:")
                .doesNotContain(PNG_BASE64);
        assertThat(conversation.messages().get(1).canonical())
                .contains("Run the tests first.", "toolu_01", "bash", "{\"command\":\"mvn test\"}");
        Message toolResult = conversation.messages().get(2);
        assertThat(toolResult.canonical()).contains("toolu_01", "call.error", "BUILD FAILURE");
        assertThat(toolResult.text()).as("a tool's output is not what the user wrote").isEmpty();
    }

    @Test
    void anthropicCanonicalFormIgnoresCacheControlAndInputKeyOrder() {
        Conversation first = Conversations.fromAnthropic(json("""
                {"messages": [
                  {"role": "user", "content": [{"type": "text", "text": "Search", "cache_control": {"type": "ephemeral"}}]},
                  {"role": "assistant", "content": [
                    {"type": "tool_use", "id": "toolu_9", "name": "search", "input": {"query": "x", "limit": 5}}]}]}"""));
        Conversation resent = Conversations.fromAnthropic(json("""
                {"messages": [
                  {"role": "user", "content": "Search"},
                  {"role": "assistant", "content": [
                    {"type": "tool_use", "id": "toolu_9", "name": "search", "input": {"limit": 5, "query": "x"},
                     "cache_control": {"type": "ephemeral"}}]}]}"""));

        assertThat(resent.messages()).extracting(Message::canonical)
                .containsExactlyElementsOf(first.messages().stream().map(Message::canonical).toList());
    }

    @Test
    void defaultAgentIdIsTheSeedsMd5OfTheSystemPrompt() throws Exception {
        Conversation chat = Conversations.fromOpenAiChat(json("""
                {"messages": [{"role": "system", "content": "You are a helpful assistant."},
                              {"role": "user", "content": "Hi"}]}"""));
        Conversation none = Conversations.fromOpenAiChat(json("""
                {"messages": [{"role": "user", "content": "Hi"}]}"""));
        Conversation emptyAnthropic = Conversations.fromAnthropic(json("""
                {"system": "", "messages": [{"role": "user", "content": "Hi"}]}"""));
        Conversation unicode = Conversations.fromAnthropic(json("""
                {"system": "Tu es un assistant français — sois précis.", "messages": []}"""));
        Conversation responses = Conversations.fromOpenAiResponses(json("""
                {"instructions": "You are a calculator.", "input": "1+1"}"""));

        assertThat(chat.defaultAgentId()).isEqualTo("prompt-" + md5("You are a helpful assistant.").substring(0, 12));
        assertThat(none.defaultAgentId()).isEqualTo("prompt-" + md5("default-system").substring(0, 12));
        assertThat(emptyAnthropic.defaultAgentId()).isEqualTo(none.defaultAgentId());
        assertThat(unicode.defaultAgentId())
                .isEqualTo("prompt-" + md5("Tu es un assistant français — sois précis.").substring(0, 12));
        assertThat(responses.defaultAgentId()).isEqualTo("prompt-" + md5("You are a calculator.").substring(0, 12));
        assertThat(chat.defaultAgentId()).matches("prompt-[0-9a-f]{12}");
    }

    @Test
    void anthropicSystemAsOneTextBlockIsTheSameAgentAsTheString() {
        Conversation string = Conversations.fromAnthropic(json("""
                {"system": "You are a pirate.", "messages": []}"""));
        Conversation block = Conversations.fromAnthropic(json("""
                {"system": [{"type": "text", "text": "You are a pirate.", "cache_control": {"type": "ephemeral"}}],
                 "messages": []}"""));

        assertThat(block.systemPrompt()).isEqualTo("You are a pirate.");
        assertThat(block.defaultAgentId()).isEqualTo(string.defaultAgentId());
    }

    @Test
    void formatIsChosenByProviderTypeAndPath() {
        JsonNode anthropic = json("""
                {"messages": [{"role": "user", "content": "Hi"}]}""");
        JsonNode responses = json("""
                {"input": "Hi"}""");

        assertThat(Conversations.of("anthropic", "/v1/messages", anthropic).format())
                .isEqualTo(ApiFormat.ANTHROPIC_MESSAGES);
        assertThat(Conversations.of("openai", "/v1/chat/completions", anthropic).format())
                .isEqualTo(ApiFormat.OPENAI_CHAT);
        assertThat(Conversations.of("openai", "/v1/responses", responses).format())
                .isEqualTo(ApiFormat.OPENAI_RESPONSES);
        assertThat(Conversations.of("openai", "/custom/path", responses).format())
                .isEqualTo(ApiFormat.OPENAI_RESPONSES);
    }

    @Test
    void malformedBodiesYieldWhatCanBeRead() {
        assertThat(Conversations.fromOpenAiChat(json("[]")).messages()).isEmpty();
        assertThat(Conversations.fromAnthropic(json("{\"messages\": \"oops\"}")).messages()).isEmpty();
        Conversation odd = Conversations.fromOpenAiChat(json("""
                {"messages": [42, {"content": {"weird": true}}, {"role": "user", "content": [{"type": "video"}]}]}"""));

        assertThat(odd.messages()).extracting(Message::role).containsExactly("unknown", "unknown", "user");
        assertThat(odd.messages().get(1).canonical()).contains("weird");
        assertThat(odd.messages().get(2).canonical()).contains("video");
    }

    private static String md5(String text) throws Exception {
        return HexFormat.of().formatHex(
                MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
