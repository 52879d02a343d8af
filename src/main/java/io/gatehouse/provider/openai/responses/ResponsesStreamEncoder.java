package io.gatehouse.provider.openai.responses;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.pipeline.GatewayError;
import io.gatehouse.pipeline.Json;
import io.gatehouse.provider.translate.StopReason;
import io.gatehouse.provider.translate.StreamEncoder;
import io.gatehouse.provider.translate.StreamEvent;
import io.gatehouse.provider.translate.TokenUsage;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Writes a unified stream as the Responses API's event stream: {@code response.created} and
 * {@code response.in_progress}, then each content block as one output item (announced, filled by deltas, done),
 * then {@code response.completed} or {@code response.incomplete} carrying the whole response and its usage.
 *
 * <p>Output items never interleave in the Responses API, while unified blocks may (an OpenAI chat upstream streams
 * parallel tool calls side by side). So one block at a time is live, streamed as it comes; a block opened meanwhile
 * waits, its fragments kept, and goes out whole once the live one is done, then streams on if still open.
 *
 * <p>The last item's {@code response.output_item.done} is held until the next event, because an answer cut by its
 * token limit marks that item {@code incomplete}, and only the finish says so.
 *
 * <p>An {@link StreamEvent.Error} becomes an {@code error} event followed by {@code response.failed} with the output
 * so far, as OpenAI ends a stream that fails; nothing is written after a terminal event.
 */
final class ResponsesStreamEncoder implements StreamEncoder {
    private enum Kind {
        TEXT, THINKING, TOOL_CALL, REDACTED_THINKING
    }

    /** One unified content block, becoming one output item. */
    private static final class Block {
        final Kind kind;
        final int index;
        final String callId;
        final String name;
        /** The text, thinking text or arguments so far (or a redacted block's data). */
        final StringBuilder content = new StringBuilder();
        StringBuilder signature;
        boolean stopped;
        int outputIndex = -1;
        String itemId;
        /** For thinking: whether its summary part has been announced (only once it has text). */
        boolean summaryOpen;

        Block(Kind kind, int index, String callId, String name) {
            this.kind = kind;
            this.index = index;
            this.callId = callId;
            this.name = name;
        }
    }

    private final ResponseEnvelope envelope;
    private final long createdAt;
    private final EventFrames frames = new EventFrames();
    /** Open blocks by unified index. */
    private final Map<Integer, Block> blocks = new HashMap<>();
    /** Blocks opened while another was live, in order of opening. */
    private final ArrayDeque<Block> waiting = new ArrayDeque<>();
    /** Finished items, in output order. */
    private final ArrayNode output = Json.MAPPER.createArrayNode();
    private Block live;
    private Block doneHeld;
    private String responseId;
    private String model;
    private TokenUsage startUsage;
    private boolean started;
    private boolean ended;

    ResponsesStreamEncoder(ResponseEnvelope envelope, long createdAt) {
        this.envelope = envelope;
        this.createdAt = createdAt;
    }

    @Override
    public Buffer encode(StreamEvent event) {
        if (ended) {
            return Buffer.buffer();
        }
        switch (event) {
            case StreamEvent.Start start -> start(start.id(), start.model(), start.usage());
            case StreamEvent.TextStart text -> open(new Block(Kind.TEXT, text.index(), null, null));
            case StreamEvent.ThinkingStart thinking -> open(new Block(Kind.THINKING, thinking.index(), null, null));
            case StreamEvent.ToolCallStart call ->
                    open(new Block(Kind.TOOL_CALL, call.index(), call.id(), call.name()));
            case StreamEvent.RedactedThinking redacted -> {
                Block block = new Block(Kind.REDACTED_THINKING, redacted.index(), null, null);
                block.content.append(redacted.data());
                open(block);
            }
            case StreamEvent.TextDelta delta -> delta(delta.index(), delta.text());
            case StreamEvent.ThinkingDelta delta -> delta(delta.index(), delta.text());
            case StreamEvent.ToolArgumentsDelta delta -> delta(delta.index(), delta.json());
            case StreamEvent.SignatureDelta delta -> signature(delta.index(), delta.signature());
            case StreamEvent.BlockStop stop -> stop(stop.index());
            case StreamEvent.Finish finish -> finish(finish.stopReason(), finish.usage());
            case StreamEvent.End ignored -> finish(null, null);
            case StreamEvent.Error error -> fail(error.error());
        }
        return frames.take();
    }

    private void start(String upstreamId, String upstreamModel, TokenUsage usage) {
        if (started) {
            return;
        }
        started = true;
        responseId = OutputItems.responseId(upstreamId);
        model = upstreamModel != null ? upstreamModel : envelope.requestedModel();
        startUsage = usage;
        ObjectNode response = envelope.render(responseId, createdAt, model, "in_progress", null, null,
                Json.MAPPER.createArrayNode(), null);
        frames.write("response.created", json -> json.writeObjectField("response", response));
        frames.write("response.in_progress", json -> json.writeObjectField("response", response));
    }

    /** A decoder always starts with Start; should one not, the response is still announced before its items. */
    private void ensureStarted() {
        if (!started) {
            start(null, null, null);
        }
    }

    private void open(Block block) {
        ensureStarted();
        blocks.put(block.index, block);
        if (live == null) {
            goLive(block);
        } else {
            waiting.add(block);
        }
    }

    private void delta(int index, String fragment) {
        Block block = blocks.get(index);
        // A fragment for a block never opened is a decoder's mistake with nothing to attach it to.
        if (block == null || fragment == null || fragment.isEmpty()) {
            return;
        }
        block.content.append(fragment);
        if (block == live) {
            streamDelta(block, fragment);
        }
    }

    private void signature(int index, String signature) {
        Block block = blocks.get(index);
        if (block == null || signature == null) {
            return;
        }
        if (block.signature == null) {
            block.signature = new StringBuilder();
        }
        block.signature.append(signature);
    }

    private void stop(int index) {
        Block block = blocks.get(index);
        if (block == null) {
            return;
        }
        block.stopped = true;
        if (block == live) {
            closeLive();
            advance();
        }
    }

    /** Brings waiting blocks out in order until one is still streaming. */
    private void advance() {
        while (live == null && !waiting.isEmpty()) {
            Block next = waiting.poll();
            goLive(next);
            if (next.stopped) {
                closeLive();
            }
        }
    }

    private void goLive(Block block) {
        releaseDone("completed");
        block.outputIndex = output.size();
        block.itemId = OutputItems.itemId(prefix(block.kind), responseId, block.outputIndex);
        live = block;
        switch (block.kind) {
            case TEXT -> {
                itemAdded(block, OutputItems.messageShell(block.itemId, "in_progress"));
                ObjectNode part = OutputItems.outputText("");
                frames.write("response.content_part.added", json -> {
                    itemFields(json, block);
                    json.writeNumberField("content_index", 0);
                    json.writeObjectField("part", part);
                });
            }
            case THINKING, REDACTED_THINKING -> itemAdded(block, OutputItems.reasoning(block.itemId, null, null));
            case TOOL_CALL -> itemAdded(block,
                    OutputItems.functionCall(block.itemId, "in_progress", block.callId, block.name, ""));
        }
        // A block that waited goes out with what it gathered meanwhile, as one fragment.
        if (!block.content.isEmpty() && block.kind != Kind.REDACTED_THINKING) {
            streamDelta(block, block.content.toString());
        }
    }

    private void streamDelta(Block block, String fragment) {
        switch (block.kind) {
            case TEXT -> frames.write("response.output_text.delta", json -> {
                itemFields(json, block);
                json.writeNumberField("content_index", 0);
                json.writeStringField("delta", fragment);
                json.writeArrayFieldStart("logprobs");
                json.writeEndArray();
            });
            case THINKING -> {
                if (!block.summaryOpen) {
                    block.summaryOpen = true;
                    ObjectNode part = OutputItems.summaryText("");
                    frames.write("response.reasoning_summary_part.added", json -> {
                        itemFields(json, block);
                        json.writeNumberField("summary_index", 0);
                        json.writeObjectField("part", part);
                    });
                }
                frames.write("response.reasoning_summary_text.delta", json -> {
                    itemFields(json, block);
                    json.writeNumberField("summary_index", 0);
                    json.writeStringField("delta", fragment);
                });
            }
            case TOOL_CALL -> frames.write("response.function_call_arguments.delta", json -> {
                itemFields(json, block);
                json.writeStringField("delta", fragment);
            });
            case REDACTED_THINKING -> {
                // Its data is whole from the start and goes out with the finished item.
            }
        }
    }

    /** Writes the live block's closing events, all but its output_item.done, which is held (see the class doc). */
    private void closeLive() {
        Block block = live;
        live = null;
        switch (block.kind) {
            case TEXT -> {
                String text = block.content.toString();
                frames.write("response.output_text.done", json -> {
                    itemFields(json, block);
                    json.writeNumberField("content_index", 0);
                    json.writeStringField("text", text);
                    json.writeArrayFieldStart("logprobs");
                    json.writeEndArray();
                });
                ObjectNode part = OutputItems.outputText(text);
                frames.write("response.content_part.done", json -> {
                    itemFields(json, block);
                    json.writeNumberField("content_index", 0);
                    json.writeObjectField("part", part);
                });
            }
            case THINKING -> {
                if (block.summaryOpen) {
                    String text = block.content.toString();
                    frames.write("response.reasoning_summary_text.done", json -> {
                        itemFields(json, block);
                        json.writeNumberField("summary_index", 0);
                        json.writeStringField("text", text);
                    });
                    ObjectNode part = OutputItems.summaryText(text);
                    frames.write("response.reasoning_summary_part.done", json -> {
                        itemFields(json, block);
                        json.writeNumberField("summary_index", 0);
                        json.writeObjectField("part", part);
                    });
                }
            }
            case TOOL_CALL -> {
                if (block.content.isEmpty()) {
                    block.content.append(OutputItems.NO_ARGUMENTS);
                    streamDelta(block, OutputItems.NO_ARGUMENTS);
                }
                String arguments = block.content.toString();
                frames.write("response.function_call_arguments.done", json -> {
                    itemFields(json, block);
                    json.writeStringField("name", block.name);
                    json.writeStringField("arguments", arguments);
                });
            }
            case REDACTED_THINKING -> {
                // A reasoning item without summary has nothing to close but itself.
            }
        }
        blocks.remove(block.index);
        doneHeld = block;
    }

    private void releaseDone(String status) {
        Block block = doneHeld;
        if (block == null) {
            return;
        }
        doneHeld = null;
        ObjectNode item = item(block, status);
        output.add(item);
        frames.write("response.output_item.done", json -> {
            json.writeNumberField("output_index", block.outputIndex);
            json.writeObjectField("item", item);
        });
    }

    private void finish(StopReason stopReason, TokenUsage usage) {
        ensureStarted();
        if (live != null) {
            closeLive();
        }
        waiting.forEach(block -> block.stopped = true);
        advance();
        String incompleteReason = OutputItems.incompleteReason(stopReason);
        releaseDone(incompleteReason == null ? "completed" : "incomplete");
        ObjectNode response = envelope.render(responseId, createdAt, model,
                incompleteReason == null ? "completed" : "incomplete", incompleteReason, null, output,
                usage != null ? usage : startUsage);
        frames.write(incompleteReason == null ? "response.completed" : "response.incomplete",
                json -> json.writeObjectField("response", response));
        ended = true;
    }

    private void fail(GatewayError error) {
        ended = true;
        String code = errorCode(error);
        releaseDone("completed");
        frames.write("error", json -> {
            json.writeStringField("code", code);
            json.writeStringField("message", error.message());
            json.writeNullField("param");
        });
        if (!started) {
            // No response was announced, so there is none to fail: the error event is the whole story.
            return;
        }
        // The failed response keeps every fragment received: the live item and those still waiting, as they stand.
        ArrayNode partial = output.deepCopy();
        if (live != null) {
            partial.add(item(live, "in_progress"));
        }
        for (Block block : waiting) {
            block.outputIndex = partial.size();
            block.itemId = OutputItems.itemId(prefix(block.kind), responseId, block.outputIndex);
            partial.add(item(block, "in_progress"));
        }
        ObjectNode failure = Json.MAPPER.createObjectNode().put("code", failedResponseCode(error))
                .put("message", error.message());
        // Usage is null, as in OpenAI's failed responses: what the upstream counted before failing is not the call's.
        ObjectNode response = envelope.render(responseId, createdAt, model, "failed", null, failure, partial, null);
        frames.write("response.failed", json -> json.writeObjectField("response", response));
    }

    private static ObjectNode item(Block block, String status) {
        return switch (block.kind) {
            case TEXT -> OutputItems.message(block.itemId, status, block.content.toString());
            case TOOL_CALL ->
                    OutputItems.functionCall(block.itemId, status, block.callId, block.name, block.content.toString());
            case THINKING -> OutputItems.reasoning(block.itemId, block.content.toString(),
                    block.signature == null ? null : block.signature.toString());
            case REDACTED_THINKING -> OutputItems.reasoning(block.itemId, null,
                    OutputItems.REDACTED_THINKING_PREFIX + block.content);
        };
    }

    private static String prefix(Kind kind) {
        return switch (kind) {
            case TEXT -> OutputItems.MESSAGE;
            case TOOL_CALL -> OutputItems.FUNCTION_CALL;
            case THINKING, REDACTED_THINKING -> OutputItems.REASONING;
        };
    }

    private void itemAdded(Block block, ObjectNode item) {
        frames.write("response.output_item.added", json -> {
            json.writeNumberField("output_index", block.outputIndex);
            json.writeObjectField("item", item);
        });
    }

    private static void itemFields(JsonGenerator json, Block block) throws IOException {
        json.writeStringField("item_id", block.itemId);
        json.writeNumberField("output_index", block.outputIndex);
    }

    /** The error event's code, free text: the provider's or the gateway's own when it has one. */
    private static String errorCode(GatewayError error) {
        return error.code() != null ? error.code() : failedResponseCode(error);
    }

    /** A failed response's {@code error.code}, which the SDKs read as one of OpenAI's fixed set. */
    private static String failedResponseCode(GatewayError error) {
        return switch (error.kind()) {
            case RATE_LIMIT, RATE_LIMIT_EXCEEDED, BUDGET_EXCEEDED -> "rate_limit_exceeded";
            default -> "server_error";
        };
    }
}
