package io.gatehouse.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.pipeline.Json;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Merges a run of chat {@code delta} objects into the object they spell out, by the rules the OpenAI
 * SDKs accumulate with: text is joined (content, refusal, and OpenAI-compatible extensions such as
 * DeepSeek's reasoning_content come for free), identity fields keep their first value, {@code tool_calls}
 * entries merge by their {@code index}, nested objects (function, audio) merge the same way, other
 * arrays (annotations) grow, and other scalars take the latest value. Text is kept in builders, so a
 * long answer costs linear time, not a copy per delta.
 */
final class DeltaAccumulator {
    /** Fields repeated verbatim on later deltas of some servers; joining them would garble them. */
    private static final Set<String> FIRST_VALUE_WINS = Set.of("role", "id", "type", "name");
    /** Only says where an entry merges; the unstreamed message has no such field. */
    private static final String MERGE_POSITION = "index";

    private final Map<String, Slot> slots = new LinkedHashMap<>();

    void add(ObjectNode delta) {
        for (Map.Entry<String, JsonNode> field : delta.properties()) {
            add(field.getKey(), field.getValue());
        }
    }

    /** One field of a delta, as {@link #add(ObjectNode)} takes each. */
    void add(String name, JsonNode value) {
        if (value.isNull() || name.equals(MERGE_POSITION)) {
            return;
        }
        slots.computeIfAbsent(name, key -> newSlot(key, value)).add(value);
    }

    ObjectNode toJson() {
        ObjectNode json = Json.MAPPER.createObjectNode();
        slots.forEach((name, slot) -> json.set(name, slot.toJson()));
        return json;
    }

    private static Slot newSlot(String name, JsonNode first) {
        if (FIRST_VALUE_WINS.contains(name)) {
            return new FirstValue();
        }
        if (name.equals("tool_calls")) {
            return new MergedByIndex();
        }
        if (first.isTextual()) {
            return new JoinedText();
        }
        if (first.isArray()) {
            return new GrowingArray();
        }
        if (first.isObject()) {
            return new Nested();
        }
        return new LatestValue();
    }

    private sealed interface Slot permits FirstValue, LatestValue, JoinedText, GrowingArray, Nested, MergedByIndex {
        void add(JsonNode value);

        JsonNode toJson();
    }

    private static final class FirstValue implements Slot {
        private JsonNode value;

        @Override
        public void add(JsonNode next) {
            if (value == null) {
                value = next;
            }
        }

        @Override
        public JsonNode toJson() {
            return value.deepCopy();
        }
    }

    private static final class LatestValue implements Slot {
        private JsonNode value;

        @Override
        public void add(JsonNode next) {
            value = next;
        }

        @Override
        public JsonNode toJson() {
            return value.deepCopy();
        }
    }

    private static final class JoinedText implements Slot {
        private final StringBuilder text = new StringBuilder();

        @Override
        public void add(JsonNode next) {
            if (next.isTextual()) {
                text.append(next.textValue());
            }
        }

        @Override
        public JsonNode toJson() {
            return Json.MAPPER.getNodeFactory().textNode(text.toString());
        }
    }

    private static final class GrowingArray implements Slot {
        private final ArrayNode items = Json.MAPPER.createArrayNode();

        @Override
        public void add(JsonNode next) {
            if (next.isArray()) {
                items.addAll((ArrayNode) next);
            }
        }

        @Override
        public JsonNode toJson() {
            return items.deepCopy();
        }
    }

    private static final class Nested implements Slot {
        private final DeltaAccumulator fields = new DeltaAccumulator();

        @Override
        public void add(JsonNode next) {
            if (next instanceof ObjectNode object) {
                fields.add(object);
            }
        }

        @Override
        public JsonNode toJson() {
            return fields.toJson();
        }
    }

    /** Parallel tool calls: their fragments interleave, and only {@code index} says which call each extends. */
    private static final class MergedByIndex implements Slot {
        private final TreeMap<Integer, DeltaAccumulator> entries = new TreeMap<>();
        private int lastPosition;

        @Override
        public void add(JsonNode next) {
            if (!next.isArray()) {
                return;
            }
            for (JsonNode element : next) {
                if (element instanceof ObjectNode entry) {
                    lastPosition = positionOf(entry);
                    entries.computeIfAbsent(lastPosition, position -> new DeltaAccumulator()).add(entry);
                }
            }
        }

        /**
         * Some OpenAI-compatible servers leave out {@code index}: an entry with an id then starts a new
         * call, one without continues the last.
         */
        private int positionOf(ObjectNode entry) {
            JsonNode index = entry.get(MERGE_POSITION);
            if (index != null && index.isIntegralNumber() && index.canConvertToInt()) {
                return index.intValue();
            }
            if (entries.isEmpty()) {
                return 0;
            }
            return EventJson.isMeaningful(entry.get("id")) ? entries.lastKey() + 1 : lastPosition;
        }

        @Override
        public JsonNode toJson() {
            ArrayNode calls = Json.MAPPER.createArrayNode();
            entries.values().forEach(call -> calls.add(call.toJson()));
            return calls;
        }
    }
}
