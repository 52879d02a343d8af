package io.gatehouse.provider.openai;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.pipeline.Json;
import io.gatehouse.pipeline.SseEvent;
import io.gatehouse.provider.StreamAssembler;

import java.io.IOException;
import java.util.ArrayList;
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
        if (addTextChunk(event.data())) {
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

    /**
     * The chunk nearly every streamed answer is made of (one choice whose delta holds only text, such as
     * {@code {"content":"…"}}, with the stream's id, model and tier repeated) read with a streaming parser instead
     * of a tree. True when it was such a chunk and has been added, with the very effect {@link #addChunk} would
     * have had; false, having changed nothing, for anything else (the first chunk, tool calls, logprobs, usage, an
     * error, a repeated key, malformed data), which then goes the tree's way.
     */
    private boolean addTextChunk(String data) {
        try (JsonParser parser = Json.MAPPER.createParser(data)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            TextChoice choice = null;
            boolean choicesSeen = false;
            for (JsonToken token = parser.nextToken(); token == JsonToken.FIELD_NAME; token = parser.nextToken()) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (field) {
                    case "id", "created", "model" -> {
                        // Only the first real value is kept: once there is one, later values change nothing.
                        if (!topLevel.has(field)) {
                            return false;
                        }
                        parser.skipChildren();
                    }
                    case "usage", "service_tier", "system_fingerprint" -> {
                        if (!leavesLatestValue(field, value, parser)) {
                            return false;
                        }
                    }
                    case "choices" -> {
                        if (choicesSeen || value != JsonToken.START_ARRAY || (choice = readTextChoice(parser)) == null) {
                            return false;
                        }
                        choicesSeen = true;
                    }
                    case "error" -> {
                        return false;
                    }
                    default -> parser.skipChildren();
                }
            }
            if (choice == null || parser.currentToken() != JsonToken.END_OBJECT || parser.nextToken() != null) {
                return false;
            }
            choices.computeIfAbsent(choice.index(), i -> new ChatChoiceAssembly()).addText(choice.texts(), choice.finish());
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether this value of a latest-value field leaves the kept one as it is: no real value, or the same text. */
    private boolean leavesLatestValue(String field, JsonToken value, JsonParser parser) throws IOException {
        if (value == JsonToken.VALUE_NULL) {
            return true;
        }
        if (value != JsonToken.VALUE_STRING) {
            return false;
        }
        String text = parser.getText();
        JsonNode kept = topLevel.get(field);
        return text.isEmpty() || kept != null && kept.isTextual() && kept.textValue().equals(text);
    }

    /** One choice of text fields, without logprobs; null for anything else, or for more or fewer choices than one. */
    private static TextChoice readTextChoice(JsonParser parser) throws IOException {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            return null;
        }
        int index = 0;
        List<Map.Entry<String, String>> texts = List.of();
        String finish = null;
        boolean deltaSeen = false;
        boolean finishSeen = false;
        for (JsonToken token = parser.nextToken(); token == JsonToken.FIELD_NAME; token = parser.nextToken()) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (field) {
                case "index" -> {
                    if (value != JsonToken.VALUE_NUMBER_INT || parser.getNumberType() != JsonParser.NumberType.INT) {
                        return null;
                    }
                    index = parser.getIntValue();
                }
                case "delta" -> {
                    if (deltaSeen || value != JsonToken.START_OBJECT || (texts = readTexts(parser)) == null) {
                        return null;
                    }
                    deltaSeen = true;
                }
                case "logprobs" -> {
                    if (value != JsonToken.VALUE_NULL) {
                        return null;
                    }
                }
                case "finish_reason" -> {
                    if (finishSeen || value != JsonToken.VALUE_NULL && value != JsonToken.VALUE_STRING) {
                        return null;
                    }
                    finishSeen = true;
                    finish = value == JsonToken.VALUE_STRING ? parser.getText() : null;
                }
                default -> parser.skipChildren();
            }
        }
        return parser.nextToken() == JsonToken.END_ARRAY ? new TextChoice(index, texts, finish) : null;
    }

    /**
     * A delta's text fields in order, nulls and {@code index} left out as the accumulator leaves them; null when a
     * field holds anything but text or comes twice (the tree keeps only the last of a repeated key).
     */
    private static List<Map.Entry<String, String>> readTexts(JsonParser parser) throws IOException {
        List<Map.Entry<String, String>> texts = new ArrayList<>(1);
        List<String> names = new ArrayList<>(2);
        for (JsonToken token = parser.nextToken(); token == JsonToken.FIELD_NAME; token = parser.nextToken()) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            if (names.contains(name)) {
                return null;
            }
            names.add(name);
            if (value == JsonToken.VALUE_STRING && !name.equals("index")) {
                texts.add(Map.entry(name, parser.getText()));
            } else if (value != JsonToken.VALUE_NULL && !name.equals("index")) {
                return null;
            }
            parser.skipChildren();
        }
        return texts;
    }

    /** A choice's index, its delta's text fields and its finish reason (null when there is none). */
    private record TextChoice(int index, List<Map.Entry<String, String>> texts, String finish) {
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
