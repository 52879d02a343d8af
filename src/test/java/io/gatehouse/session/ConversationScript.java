package io.gatehouse.session;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A conversation written once as turns and rendered as the request bodies a client would send in each API
 * format: OpenAI Chat ({@code messages}, {@code tool_calls}, {@code tool} messages), OpenAI Responses
 * ({@code input} items, {@code function_call}, {@code function_call_output}, {@code instructions}) and Anthropic
 * ({@code system}, {@code tool_use} and {@code tool_result} blocks).
 */
final class ConversationScript {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    sealed interface Turn permits User, Assistant, ToolResults {
    }

    record User(String text) implements Turn {
    }

    record Assistant(String text, List<ToolCall> calls) implements Turn {
    }

    record ToolResults(List<ToolResult> results) implements Turn {
    }

    record ToolCall(String id, String name, String arguments) {
    }

    record ToolResult(String callId, String content) {
    }

    private final String systemPrompt;
    private final List<Turn> turns;

    private ConversationScript(String systemPrompt, List<Turn> turns) {
        this.systemPrompt = systemPrompt;
        this.turns = List.copyOf(turns);
    }

    static ConversationScript of(Turn... turns) {
        return new ConversationScript(null, Arrays.asList(turns));
    }

    static ConversationScript withSystem(String systemPrompt, Turn... turns) {
        return new ConversationScript(systemPrompt, Arrays.asList(turns));
    }

    static User user(String text) {
        return new User(text);
    }

    static Assistant assistant(String text, ToolCall... calls) {
        return new Assistant(text, List.of(calls));
    }

    static ToolCall call(String id, String name, String arguments) {
        return new ToolCall(id, name, arguments);
    }

    static ToolResults results(ToolResult... results) {
        return new ToolResults(List.of(results));
    }

    static ToolResult result(String callId, String content) {
        return new ToolResult(callId, content);
    }

    int turnCount() {
        return turns.size();
    }

    /** This script followed by more turns. */
    ConversationScript then(Turn... more) {
        List<Turn> all = new ArrayList<>(turns);
        all.addAll(Arrays.asList(more));
        return new ConversationScript(systemPrompt, all);
    }

    /** The conversation a client sends after the first {@code turnCount} turns. */
    Conversation conversation(ApiFormat format, int turnCount) {
        JsonNode body = body(format, turnCount);
        return switch (format) {
            case OPENAI_CHAT -> Conversations.fromOpenAiChat(body);
            case OPENAI_RESPONSES -> Conversations.fromOpenAiResponses(body);
            case ANTHROPIC_MESSAGES -> Conversations.fromAnthropic(body);
        };
    }

    Conversation conversation(ApiFormat format) {
        return conversation(format, turns.size());
    }

    ObjectNode body(ApiFormat format, int turnCount) {
        List<Turn> sent = turns.subList(0, turnCount);
        return switch (format) {
            case OPENAI_CHAT -> chat(sent);
            case OPENAI_RESPONSES -> responses(sent);
            case ANTHROPIC_MESSAGES -> anthropic(sent);
        };
    }

    private ObjectNode chat(List<Turn> sent) {
        ObjectNode body = MAPPER.createObjectNode().put("model", "gpt-4o");
        ArrayNode messages = body.putArray("messages");
        if (systemPrompt != null) {
            messages.addObject().put("role", "system").put("content", systemPrompt);
        }
        for (Turn turn : sent) {
            switch (turn) {
                case User user -> messages.addObject().put("role", "user").put("content", user.text());
                case Assistant assistant -> {
                    ObjectNode message = messages.addObject().put("role", "assistant").put("content", assistant.text());
                    if (!assistant.calls().isEmpty()) {
                        ArrayNode calls = message.putArray("tool_calls");
                        for (ToolCall call : assistant.calls()) {
                            ObjectNode function = calls.addObject().put("id", call.id()).put("type", "function")
                                    .putObject("function");
                            function.put("name", call.name()).put("arguments", call.arguments());
                        }
                    }
                }
                case ToolResults results -> results.results().forEach(result -> messages.addObject()
                        .put("role", "tool").put("tool_call_id", result.callId()).put("content", result.content()));
            }
        }
        return body;
    }

    private ObjectNode responses(List<Turn> sent) {
        ObjectNode body = MAPPER.createObjectNode().put("model", "gpt-4.1");
        if (systemPrompt != null) {
            body.put("instructions", systemPrompt);
        }
        ArrayNode input = body.putArray("input");
        for (Turn turn : sent) {
            switch (turn) {
                case User user -> input.addObject().put("role", "user").put("content", user.text());
                case Assistant assistant -> {
                    if (assistant.text() != null) {
                        ObjectNode message = input.addObject().put("type", "message").put("role", "assistant");
                        message.putArray("content").addObject().put("type", "output_text").put("text", assistant.text());
                    }
                    assistant.calls().forEach(call -> input.addObject().put("type", "function_call")
                            .put("call_id", call.id()).put("name", call.name()).put("arguments", call.arguments()));
                }
                case ToolResults results -> results.results().forEach(result -> input.addObject()
                        .put("type", "function_call_output").put("call_id", result.callId())
                        .put("output", result.content()));
            }
        }
        return body;
    }

    private ObjectNode anthropic(List<Turn> sent) {
        ObjectNode body = MAPPER.createObjectNode().put("model", "claude-sonnet-4-5").put("max_tokens", 1024);
        if (systemPrompt != null) {
            body.put("system", systemPrompt);
        }
        ArrayNode messages = body.putArray("messages");
        for (Turn turn : sent) {
            switch (turn) {
                case User user -> messages.addObject().put("role", "user").put("content", user.text());
                case Assistant assistant -> {
                    ArrayNode content = messages.addObject().put("role", "assistant").putArray("content");
                    if (assistant.text() != null) {
                        content.addObject().put("type", "text").put("text", assistant.text());
                    }
                    for (ToolCall call : assistant.calls()) {
                        content.addObject().put("type", "tool_use").put("id", call.id()).put("name", call.name())
                                .set("input", json(call.arguments()));
                    }
                }
                case ToolResults results -> {
                    ArrayNode content = messages.addObject().put("role", "user").putArray("content");
                    results.results().forEach(result -> content.addObject().put("type", "tool_result")
                            .put("tool_use_id", result.callId()).put("content", result.content()));
                }
            }
        }
        return body;
    }

    static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(text, e);
        }
    }
}
