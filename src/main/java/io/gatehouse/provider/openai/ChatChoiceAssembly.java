package io.gatehouse.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.gatehouse.pipeline.Json;

import java.util.List;
import java.util.Map;

/** One choice of a streamed chat completion, put back together from its chunks. */
final class ChatChoiceAssembly {
    private final DeltaAccumulator message = new DeltaAccumulator();
    /** Per-token logprobs arrive as arrays, one slice per chunk, under {@code content} and {@code refusal}. */
    private final DeltaAccumulator logprobs = new DeltaAccumulator();
    private boolean hasLogprobs;
    private JsonNode finishReason = NullNode.instance;

    void add(ObjectNode choiceChunk) {
        ObjectNode delta = EventJson.object(choiceChunk, "delta");
        if (delta != null) {
            message.add(delta);
        }
        ObjectNode logprobsSlice = EventJson.object(choiceChunk, "logprobs");
        if (logprobsSlice != null) {
            hasLogprobs = true;
            logprobs.add(logprobsSlice);
        }
        JsonNode finish = choiceChunk.get("finish_reason");
        if (EventJson.isMeaningful(finish)) {
            finishReason = finish;
        }
    }

    /**
     * A chunk of text fields only, as {@link ChatCompletionStreamAssembler} reads the common chunk without a tree:
     * what {@link #add} does with a delta of these strings, no logprobs and this finish reason (null for none).
     */
    void addText(List<Map.Entry<String, String>> deltaTexts, String finish) {
        for (Map.Entry<String, String> field : deltaTexts) {
            message.add(field.getKey(), TextNode.valueOf(field.getValue()));
        }
        if (finish != null && !finish.isEmpty()) {
            finishReason = TextNode.valueOf(finish);
        }
    }

    /** The choice as {@code chat.completion} has it: the joined delta becomes {@code message}. */
    ObjectNode toJson(int index) {
        ObjectNode choice = Json.MAPPER.createObjectNode();
        choice.put("index", index);
        ObjectNode joined = message.toJson();
        joined.putIfAbsent("role", TextNode.valueOf("assistant"));
        joined.putIfAbsent("content", NullNode.instance);
        joined.putIfAbsent("refusal", NullNode.instance);
        choice.set("message", joined);
        choice.set("logprobs", hasLogprobs ? logprobsJson() : NullNode.instance);
        choice.set("finish_reason", finishReason.deepCopy());
        return choice;
    }

    private ObjectNode logprobsJson() {
        ObjectNode json = logprobs.toJson();
        json.putIfAbsent("content", NullNode.instance);
        json.putIfAbsent("refusal", NullNode.instance);
        return json;
    }
}
