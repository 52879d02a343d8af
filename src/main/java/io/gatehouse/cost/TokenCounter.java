package io.gatehouse.cost;

import com.fasterxml.jackson.databind.JsonNode;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;

import java.util.List;
import java.util.Locale;

/**
 * Counts tokens the way the providers bill them, for calls whose upstream reported no usage and for cost estimates
 * before a call.
 *
 * <p>OpenAI models are counted with their own tiktoken encoding: {@code o200k_base} for the gpt-4o, gpt-4.1, gpt-4.5,
 * o1/o3/o4 and gpt-5 families, {@code cl100k_base} for gpt-4, gpt-3.5-turbo and the embedding models. Chat messages
 * are counted as OpenAI's cookbook ("How to count tokens with tiktoken") does: 3 tokens per message, the tokens of
 * each of its string fields (role, content, name, tool_call_id…), 1 more for a {@code name}, and 3 that prime the
 * reply. Best effort beyond the cookbook: only the text parts of multi-part content count (images, audio and files
 * are billed by size, which the request does not say), a tool call counts its function's name and arguments, and
 * tool definitions count as their compact JSON text (OpenAI renders them in its own syntax, so this is near, not
 * exact).
 *
 * <p>Counting costs CPU, about half a microsecond per token: a 20,000-token prompt takes some 10 ms. Callers on an
 * event loop count large texts on a worker ({@link CostEstimator#maxCostUsd(io.vertx.core.Vertx,
 * io.gatehouse.pipeline.ProxyRequest)}, and the cost interceptor for streams that will report no usage).
 *
 * <p>Other models (Anthropic, Gemini, anything unknown) have no public tokenizer: they are counted with
 * {@code cl100k_base} and the same overheads, an estimate ({@link #isEstimate}) that is typically within some ten
 * percent of the provider's count for English text.
 */
public final class TokenCounter {
    /** Per message: {@code <|start|>{role}<|message|>…<|end|>} around its fields. */
    static final int TOKENS_PER_MESSAGE = 3;
    /** A named message costs one token more. */
    static final int TOKENS_PER_NAME = 1;
    /** Every reply is primed with {@code <|start|>assistant<|message|>}. */
    static final int REPLY_PRIMING = 3;

    /**
     * Request bodies up to this size are counted on the caller's thread: under a millisecond, cheaper than a hop to a
     * worker. Larger ones are counted on a worker by callers on an event loop.
     */
    public static final int INLINE_COUNT_LIMIT_BYTES = 8 * 1024;

    private static final List<String> O200K_FAMILIES = List.of(
            "gpt-4o", "chatgpt-4o", "gpt-4.1", "gpt-4.5", "gpt-5", "o1", "o3", "o4", "codex-", "gpt-oss");
    private static final List<String> CL100K_FAMILIES = List.of(
            "gpt-4", "gpt-3.5", "text-embedding-3", "text-embedding-ada-002");

    private static final EncodingRegistry REGISTRY = Encodings.newLazyEncodingRegistry();

    private TokenCounter() {
    }

    /**
     * Loads both vocabularies now. Loading takes a few hundred milliseconds, which no call should pay on an event
     * loop; the gateway calls this at start.
     */
    public static void preload() {
        REGISTRY.getEncoding(EncodingType.O200K_BASE);
        REGISTRY.getEncoding(EncodingType.CL100K_BASE);
    }

    /** The tiktoken encoding for {@code model}; {@code cl100k_base} when it is not an OpenAI model. */
    public static EncodingType encodingFor(String model) {
        String name = normalize(model);
        for (String family : O200K_FAMILIES) {
            if (name.startsWith(family)) {
                return EncodingType.O200K_BASE;
            }
        }
        return EncodingType.CL100K_BASE;
    }

    /** True when counts for {@code model} are an estimate: its provider's tokenizer is not tiktoken. */
    public static boolean isEstimate(String model) {
        String name = normalize(model);
        return O200K_FAMILIES.stream().noneMatch(name::startsWith) && CL100K_FAMILIES.stream().noneMatch(name::startsWith);
    }

    /** The tokens of plain text, special-token lookalikes ({@code <|endoftext|>}) counted as the text they are. */
    public static int countText(String model, String text) {
        return text == null || text.isEmpty() ? 0 : encoding(model).countTokensOrdinary(text);
    }

    /** The prompt tokens of an OpenAI Chat {@code messages} array, reply priming included. */
    public static int countChatMessages(String model, JsonNode messages) {
        Encoding encoding = encoding(model);
        int tokens = 0;
        for (JsonNode message : messages) {
            tokens += chatMessage(encoding, message);
        }
        return tokens + REPLY_PRIMING;
    }

    /** The input tokens of a request to {@code endpoint}: messages, system prompts, tools, prompts or inputs. */
    public static long countInput(Endpoint endpoint, String model, JsonNode request) {
        if (request == null || !request.isObject()) {
            return 0;
        }
        Encoding encoding = encoding(model);
        return switch (endpoint) {
            case CHAT -> countChatMessages(model, request.path("messages"))
                    + json(encoding, request.path("tools")) + json(encoding, request.path("functions"));
            case RESPONSES -> responsesInput(encoding, request);
            case MESSAGES -> anthropicInput(encoding, request);
            case COMPLETIONS -> texts(encoding, request.path("prompt"));
            case EMBEDDINGS -> embeddingInput(encoding, request.path("input"));
        };
    }

    /** The output tokens of an unstreamed (or assembled) response body from {@code endpoint}. */
    public static long countOutput(Endpoint endpoint, String model, JsonNode response) {
        if (response == null || !response.isObject()) {
            return 0;
        }
        Encoding encoding = encoding(model);
        long tokens = 0;
        switch (endpoint) {
            case CHAT -> {
                for (JsonNode choice : response.path("choices")) {
                    JsonNode message = choice.path("message");
                    tokens += content(encoding, message.path("content")) + text(encoding, message.path("refusal"))
                            + toolCalls(encoding, message.path("tool_calls"))
                            + functionCall(encoding, message.path("function_call"));
                }
            }
            case RESPONSES -> {
                for (JsonNode item : response.path("output")) {
                    tokens += switch (item.path("type").asText()) {
                        case "message" -> content(encoding, item.path("content"));
                        case "function_call" -> text(encoding, item.path("name")) + text(encoding, item.path("arguments"));
                        case "reasoning" -> content(encoding, item.path("summary"));
                        default -> 0;
                    };
                }
            }
            case MESSAGES -> tokens += anthropicBlocks(encoding, response.path("content"));
            case COMPLETIONS -> {
                for (JsonNode choice : response.path("choices")) {
                    tokens += text(encoding, choice.path("text"));
                }
            }
            case EMBEDDINGS -> {
                // Embeddings bill their input only.
            }
        }
        return tokens;
    }

    private static int chatMessage(Encoding encoding, JsonNode message) {
        int tokens = TOKENS_PER_MESSAGE;
        for (var field : message.properties()) {
            JsonNode value = field.getValue();
            switch (field.getKey()) {
                case "content" -> tokens += content(encoding, value);
                case "tool_calls" -> tokens += toolCalls(encoding, value);
                case "function_call" -> tokens += functionCall(encoding, value);
                default -> {
                    if (value.isTextual()) {
                        tokens += encoding.countTokensOrdinary(value.textValue());
                        if (field.getKey().equals("name")) {
                            tokens += TOKENS_PER_NAME;
                        }
                    }
                }
            }
        }
        return tokens;
    }

    /** A Responses API request: {@code instructions}, then {@code input} as text or as a list of items. */
    private static long responsesInput(Encoding encoding, JsonNode request) {
        long tokens = REPLY_PRIMING + json(encoding, request.path("tools"));
        if (request.path("instructions").isTextual()) {
            tokens += TOKENS_PER_MESSAGE + text(encoding, request.path("instructions"));
        }
        JsonNode input = request.path("input");
        if (input.isTextual()) {
            return tokens + TOKENS_PER_MESSAGE + text(encoding, input);
        }
        for (JsonNode item : input) {
            String type = item.path("type").asText(item.has("role") ? "message" : "");
            tokens += switch (type) {
                case "message" -> TOKENS_PER_MESSAGE + text(encoding, item.path("role")) + content(encoding, item.path("content"));
                case "function_call" -> TOKENS_PER_MESSAGE + text(encoding, item.path("name")) + text(encoding, item.path("arguments"));
                case "function_call_output" -> TOKENS_PER_MESSAGE + content(encoding, item.path("output"));
                default -> 0;
            };
        }
        return tokens;
    }

    /** An Anthropic Messages request: the system prompt and each message counted like a chat message (an estimate). */
    private static long anthropicInput(Encoding encoding, JsonNode request) {
        long tokens = REPLY_PRIMING + json(encoding, request.path("tools"));
        JsonNode system = request.path("system");
        if (!system.isMissingNode() && !system.isNull()) {
            tokens += TOKENS_PER_MESSAGE + anthropicBlocks(encoding, system);
        }
        for (JsonNode message : request.path("messages")) {
            tokens += TOKENS_PER_MESSAGE + text(encoding, message.path("role")) + anthropicBlocks(encoding, message.path("content"));
        }
        return tokens;
    }

    /** Anthropic content: a string, or blocks of text, thinking, tool use (name and input) and tool results. */
    private static long anthropicBlocks(Encoding encoding, JsonNode content) {
        if (content.isTextual()) {
            return text(encoding, content);
        }
        long tokens = 0;
        for (JsonNode block : content) {
            tokens += switch (block.path("type").asText()) {
                case "text" -> text(encoding, block.path("text"));
                case "thinking" -> text(encoding, block.path("thinking"));
                case "tool_use", "server_tool_use" -> text(encoding, block.path("name")) + json(encoding, block.path("input"));
                case "tool_result" -> anthropicBlocks(encoding, block.path("content"));
                default -> 0;
            };
        }
        return tokens;
    }

    private static long embeddingInput(Encoding encoding, JsonNode input) {
        if (input.isTextual()) {
            return text(encoding, input);
        }
        long tokens = 0;
        for (JsonNode element : input) {
            // Pre-tokenized input (arrays of token ids) is already counted by its length.
            tokens += element.isTextual() ? text(encoding, element) : element.isArray() ? element.size() : element.isInt() ? 1 : 0;
        }
        return tokens;
    }

    /** A string, or the text of each part of a multi-part content array ({@code text}, {@code input_text}…). */
    private static int content(Encoding encoding, JsonNode content) {
        if (content.isTextual()) {
            return encoding.countTokensOrdinary(content.textValue());
        }
        int tokens = 0;
        for (JsonNode part : content) {
            tokens += part.isTextual() ? text(encoding, part) : text(encoding, part.path("text")) + text(encoding, part.path("refusal"));
        }
        return tokens;
    }

    private static int toolCalls(Encoding encoding, JsonNode calls) {
        int tokens = 0;
        for (JsonNode call : calls) {
            tokens += functionCall(encoding, call.path("function"));
        }
        return tokens;
    }

    private static int functionCall(Encoding encoding, JsonNode function) {
        return text(encoding, function.path("name")) + text(encoding, function.path("arguments"));
    }

    private static long texts(Encoding encoding, JsonNode prompt) {
        if (prompt.isTextual()) {
            return text(encoding, prompt);
        }
        long tokens = 0;
        for (JsonNode element : prompt) {
            tokens += element.isTextual() ? text(encoding, element) : element.isArray() ? element.size() : 0;
        }
        return tokens;
    }

    private static int text(Encoding encoding, JsonNode node) {
        return node.isTextual() ? encoding.countTokensOrdinary(node.textValue()) : 0;
    }

    private static int json(Encoding encoding, JsonNode node) {
        return node.isMissingNode() || node.isNull() ? 0 : encoding.countTokensOrdinary(node.toString());
    }

    private static Encoding encoding(String model) {
        return REGISTRY.getEncoding(encodingFor(model));
    }

    private static String normalize(String model) {
        if (model == null) {
            return "";
        }
        String name = model.toLowerCase(Locale.ROOT);
        // A fine-tune keeps its base model's tokenizer: ft:gpt-4o-mini-2024-07-18:org::id.
        return name.startsWith("ft:") ? name.substring(3) : name;
    }
}
