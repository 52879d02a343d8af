package io.gatehouse.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.pipeline.Json;
import io.gatehouse.pipeline.SseEvent;
import io.gatehouse.provider.StreamAssembler;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Rebuilds the {@code chat.completion} of a streamed {@code /chat/completions} call from its
 * {@code chat.completion.chunk} events: choices kept apart by index, usage from the final chunk
 * (sent with {@code stream_options.include_usage}, its {@code choices} empty), {@code [DONE]} as the end.
 * What the stream never carried (usage, when it was not asked for) is left out rather than guessed.
 */
public final class ChatCompletionStreamAssembler implements StreamAssembler {
    private static final String DONE = "[DONE]";
    /** The same on every chunk; the first real value is kept. */
    private static final List<String> FIRST_VALUE_FIELDS = List.of("id", "created", "model");
    /** May first appear, or only be filled in, on a later chunk; the last real value is kept. */
    private static final List<String> LATEST_VALUE_FIELDS = List.of("usage", "service_tier", "system_fingerprint");

    private final ObjectNode topLevel = Json.MAPPER.createObjectNode();
    private final Map<Integer, ChatChoiceAssembly> choices = new TreeMap<>();
    private JsonNode error;
    private boolean complete;

    @Override
    public void onEvent(SseEvent event) {
        if (DONE.equals(event.data().strip())) {
            complete = true;
            return;
        }
        ObjectNode data = EventJson.parseObject(event.data());
        if (data == null) {
            return;
        }
        if (EventJson.object(data, "error") != null) {
            if (error == null) {
                error = data;
            }
            return;
        }
        addChunk(data);
    }

    private void addChunk(ObjectNode chunk) {
        for (String field : FIRST_VALUE_FIELDS) {
            if (!topLevel.has(field) && EventJson.isMeaningful(chunk.get(field))) {
                topLevel.set(field, chunk.get(field));
            }
        }
        for (String field : LATEST_VALUE_FIELDS) {
            if (EventJson.isMeaningful(chunk.get(field))) {
                topLevel.set(field, chunk.get(field));
            }
        }
        if (chunk.get("choices") instanceof ArrayNode chunkChoices) {
            for (JsonNode choice : chunkChoices) {
                if (choice instanceof ObjectNode choiceChunk) {
                    int index = choiceChunk.path("index").asInt(0);
                    choices.computeIfAbsent(index, i -> new ChatChoiceAssembly()).add(choiceChunk);
                }
            }
        }
    }

    @Override
    public JsonNode result() {
        if (topLevel.isEmpty() && choices.isEmpty()) {
            return null;
        }
        ObjectNode completion = Json.MAPPER.createObjectNode();
        copyIfPresent("id", completion);
        completion.put("object", "chat.completion");
        copyIfPresent("created", completion);
        copyIfPresent("model", completion);
        ArrayNode assembled = completion.putArray("choices");
        choices.forEach((index, choice) -> assembled.add(choice.toJson(index)));
        for (String field : LATEST_VALUE_FIELDS) {
            copyIfPresent(field, completion);
        }
        return completion;
    }

    private void copyIfPresent(String field, ObjectNode target) {
        JsonNode value = topLevel.get(field);
        if (value != null) {
            target.set(field, value.deepCopy());
        }
    }

    @Override
    public JsonNode error() {
        return error == null ? null : error.deepCopy();
    }

    @Override
    public boolean complete() {
        return complete;
    }
}
