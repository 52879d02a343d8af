package io.gatehouse.provider.openai;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.pipeline.Json;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * One item of a Responses {@code output} while it streams: the item as {@code response.output_item.added}
 * announced it, plus what its deltas have added since (text parts, reasoning summary parts, and streamed
 * string fields such as a function call's {@code arguments}), until {@code response.output_item.done}
 * replaces it all with the finished item.
 */
final class OutputItemAssembly {
    private ObjectNode item;
    private boolean finished;
    private final Map<Integer, TextPartAssembly> content = new TreeMap<>();
    private final Map<Integer, TextPartAssembly> summary = new TreeMap<>();
    private final Map<String, StringBuilder> streamedFields = new LinkedHashMap<>();

    OutputItemAssembly(ObjectNode announced) {
        this.item = announced;
    }

    boolean finished() {
        return finished;
    }

    /** The finished item is the whole truth; the partial state is no longer needed. */
    void finish(ObjectNode done) {
        item = done;
        finished = true;
        content.clear();
        summary.clear();
        streamedFields.clear();
    }

    void announceContentPart(int index, ObjectNode part) {
        content.put(index, new TextPartAssembly(part));
    }

    TextPartAssembly contentPart(int index, String type) {
        return content.computeIfAbsent(index, i -> TextPartAssembly.unannounced(type));
    }

    void announceSummaryPart(int index, ObjectNode part) {
        summary.put(index, new TextPartAssembly(part));
    }

    TextPartAssembly summaryPart(int index) {
        return summary.computeIfAbsent(index, i -> TextPartAssembly.unannounced("summary_text"));
    }

    void appendToField(String field, String delta) {
        streamedFields.computeIfAbsent(field, f -> new StringBuilder(item.path(f).asText(""))).append(delta);
    }

    /** A {@code .done} event repeats the whole value; it wins over the joined deltas. */
    void replaceField(String field, String value) {
        streamedFields.put(field, new StringBuilder(value));
    }

    ObjectNode toJson() {
        ObjectNode json = item.deepCopy();
        if (!content.isEmpty()) {
            json.set("content", partsJson(content));
        }
        if (!summary.isEmpty()) {
            json.set("summary", partsJson(summary));
        }
        streamedFields.forEach((field, value) -> json.put(field, value.toString()));
        return json;
    }

    private static ArrayNode partsJson(Map<Integer, TextPartAssembly> parts) {
        ArrayNode json = Json.MAPPER.createArrayNode();
        parts.values().forEach(part -> json.add(part.toJson()));
        return json;
    }
}
