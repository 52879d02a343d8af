package io.gatehouse.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.pipeline.Json;
import io.gatehouse.pipeline.WireFormat;
import io.gatehouse.provider.translate.InboundApi;
import io.gatehouse.provider.translate.InboundCodec;
import io.gatehouse.provider.translate.Part;
import io.gatehouse.provider.translate.StreamEncoder;
import io.gatehouse.provider.translate.UnifiedRequest;
import io.gatehouse.provider.translate.UnifiedResponse;

import java.time.InstantSource;
import java.util.Objects;

/**
 * Clients calling {@code POST /v1/chat/completions}: their request in the unified shape, and answers from any
 * provider written back as {@code chat.completion} bodies or {@code chat.completion.chunk} streams.
 */
public final class ChatInboundCodec implements InboundCodec {
    private final InstantSource clock;

    /** @param clock gives the {@code created} time of answers, which other providers do not report */
    public ChatInboundCodec(InstantSource clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public InboundApi api() {
        return InboundApi.OPENAI_CHAT;
    }

    @Override
    public WireFormat format() {
        return OpenAiFormat.INSTANCE;
    }

    @Override
    public UnifiedRequest decodeRequest(JsonNode body) {
        return ChatRequestReader.read(body);
    }

    @Override
    public JsonNode encodeResponse(UnifiedResponse response) {
        ObjectNode completion = Json.MAPPER.createObjectNode();
        completion.put("id", response.id());
        completion.put("object", "chat.completion");
        completion.put("created", clock.instant().getEpochSecond());
        completion.put("model", response.model());
        ObjectNode choice = completion.putArray("choices").addObject();
        choice.put("index", 0);
        choice.set("message", message(response));
        choice.putNull("logprobs");
        choice.put("finish_reason", ChatWire.finishReason(response.stopReason()));
        String matchedStop = ChatWire.matchedStopSequence(response.stopReason(), response.stopSequence());
        if (matchedStop != null) {
            choice.put(ChatWire.STOP_REASON, matchedStop);
        }
        if (response.usage() != null) {
            completion.set("usage", ChatWire.usageJson(response.usage()));
        }
        return completion;
    }

    /** The answer as one assistant message: its text joined, its tool calls, its thinking in two forms. */
    private static ObjectNode message(UnifiedResponse response) {
        StringBuilder text = null;
        StringBuilder reasoning = null;
        ArrayNode toolCalls = null;
        ArrayNode thinkingBlocks = null;
        for (Part part : response.content()) {
            switch (part) {
                case Part.Text t -> text = (text == null ? new StringBuilder() : text).append(t.text());
                case Part.Thinking thinking -> {
                    reasoning = (reasoning == null ? new StringBuilder() : reasoning).append(thinking.text());
                    thinkingBlocks = thinkingBlocks == null ? Json.MAPPER.createArrayNode() : thinkingBlocks;
                    thinkingBlocks.add(ChatWire.thinkingBlock(thinking.text(), thinking.signature()));
                }
                case Part.RedactedThinking redacted -> {
                    thinkingBlocks = thinkingBlocks == null ? Json.MAPPER.createArrayNode() : thinkingBlocks;
                    thinkingBlocks.add(ChatWire.redactedThinkingBlock(redacted.data()));
                }
                case Part.ToolCall call -> {
                    toolCalls = toolCalls == null ? Json.MAPPER.createArrayNode() : toolCalls;
                    ObjectNode json = toolCalls.addObject();
                    json.put("id", call.id());
                    json.put("type", "function");
                    ObjectNode function = json.putObject("function");
                    function.put("name", call.name());
                    function.put("arguments", call.arguments());
                }
                default -> {
                    // Images, tool results, opaque parts: no answer holds them, and a chat message has no place
                    // for them.
                }
            }
        }
        ObjectNode message = Json.MAPPER.createObjectNode();
        message.put("role", "assistant");
        if (text == null) {
            message.putNull("content");
        } else {
            message.put("content", text.toString());
        }
        message.putNull("refusal");
        if (toolCalls != null) {
            message.set("tool_calls", toolCalls);
        }
        if (reasoning != null) {
            message.put(ChatWire.REASONING_CONTENT, reasoning.toString());
        }
        if (thinkingBlocks != null) {
            message.set(ChatWire.THINKING_BLOCKS, thinkingBlocks);
        }
        return message;
    }

    @Override
    public StreamEncoder streamEncoder(UnifiedRequest request) {
        return new ChatStreamEncoder(clock, request.includeUsage(), request.model());
    }
}
