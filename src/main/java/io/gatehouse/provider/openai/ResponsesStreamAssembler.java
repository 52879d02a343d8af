package io.gatehouse.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.pipeline.Json;
import io.gatehouse.pipeline.SseEvent;
import io.gatehouse.provider.StreamAssembler;

import java.util.Map;
import java.util.TreeMap;

/**
 * Rebuilds the {@code response} object of a streamed Responses API call. The terminal event
 * ({@code response.completed}, {@code .failed} or {@code .incomplete}) carries the whole response, so that
 * is the result when it arrives; until then the output items are assembled from their own events, so a
 * stream cut short still yields what it carried. There is no {@code [DONE]}: the terminal event ends it.
 */
public final class ResponsesStreamAssembler implements StreamAssembler {
    /** Events that stream one string field of an output item, by event name without .delta/.done. */
    private static final Map<String, String> STREAMED_ITEM_FIELDS = Map.of(
            "response.function_call_arguments", "arguments",
            "response.custom_tool_call_input", "input",
            "response.mcp_call_arguments", "arguments",
            "response.code_interpreter_call_code", "code");

    /** The response as the latest lifecycle event showed it, its output still empty. */
    private ObjectNode snapshot;
    private ObjectNode finalResponse;
    private final Map<Integer, OutputItemAssembly> items = new TreeMap<>();
    private JsonNode error;
    private boolean complete;

    @Override
    public void onEvent(SseEvent event) {
        ObjectNode data = EventJson.parseObject(event.data());
        if (data == null || complete) {
            return;
        }
        String type = data.path("type").asText(event.event() == null ? "" : event.event());
        switch (type) {
            case "response.created", "response.queued", "response.in_progress" -> {
                ObjectNode response = EventJson.object(data, "response");
                if (response != null) {
                    snapshot = response;
                }
            }
            case "response.completed", "response.failed", "response.incomplete" -> finish(data);
            case "response.output_item.added" -> {
                ObjectNode item = EventJson.object(data, "item");
                if (item != null) {
                    items.put(outputIndex(data), new OutputItemAssembly(item));
                }
            }
            case "response.output_item.done" -> {
                ObjectNode item = EventJson.object(data, "item");
                if (item != null) {
                    items.computeIfAbsent(outputIndex(data), i -> new OutputItemAssembly(item)).finish(item);
                }
            }
            case "response.content_part.added" -> {
                OutputItemAssembly item = openItem(data);
                ObjectNode part = EventJson.object(data, "part");
                if (item != null && part != null) {
                    item.announceContentPart(data.path("content_index").asInt(), part);
                }
            }
            case "response.output_text.delta" -> appendContentText(data, "output_text");
            case "response.refusal.delta" -> appendContentText(data, "refusal");
            case "response.reasoning_text.delta" -> appendContentText(data, "reasoning_text");
            case "response.output_text.annotation.added" -> {
                OutputItemAssembly item = openItem(data);
                JsonNode annotation = data.get("annotation");
                if (item != null && annotation != null) {
                    item.contentPart(data.path("content_index").asInt(), "output_text").addAnnotation(annotation);
                }
            }
            case "response.reasoning_summary_part.added" -> {
                OutputItemAssembly item = openItem(data);
                ObjectNode part = EventJson.object(data, "part");
                if (item != null && part != null) {
                    item.announceSummaryPart(data.path("summary_index").asInt(), part);
                }
            }
            case "response.reasoning_summary_text.delta" -> {
                OutputItemAssembly item = openItem(data);
                if (item != null) {
                    item.summaryPart(data.path("summary_index").asInt()).append(data.path("delta").asText());
                }
            }
            case "error" -> recordError(streamErrorBody(data));
            default -> streamItemField(type, data);
        }
    }

    private void finish(ObjectNode data) {
        complete = true;
        ObjectNode response = EventJson.object(data, "response");
        if (response == null) {
            return;
        }
        // Some servers send the terminal response without its output; the items already streamed are it.
        if (!response.hasNonNull("output")) {
            response.set("output", outputJson());
        }
        finalResponse = response;
        items.clear();
        ObjectNode failure = EventJson.object(response, "error");
        if (failure != null) {
            recordError(Json.MAPPER.createObjectNode().set("error", failure));
        }
    }

    private void appendContentText(ObjectNode data, String partType) {
        OutputItemAssembly item = openItem(data);
        if (item != null) {
            item.contentPart(data.path("content_index").asInt(), partType).append(data.path("delta").asText());
        }
    }

    private void streamItemField(String type, ObjectNode data) {
        int dot = type.lastIndexOf('.');
        String field = dot < 0 ? null : STREAMED_ITEM_FIELDS.get(type.substring(0, dot));
        OutputItemAssembly item = field == null ? null : openItem(data);
        if (item == null) {
            return;
        }
        String phase = type.substring(dot + 1);
        if (phase.equals("delta")) {
            item.appendToField(field, data.path("delta").asText());
        } else if (phase.equals("done") && data.path(field).isTextual()) {
            item.replaceField(field, data.path(field).textValue());
        }
    }

    /**
     * The item a delta belongs to, or null when it was never announced (the API always announces an
     * item first) or has already finished.
     */
    private OutputItemAssembly openItem(ObjectNode data) {
        OutputItemAssembly item = items.get(outputIndex(data));
        return item == null || item.finished() ? null : item;
    }

    private static int outputIndex(ObjectNode data) {
        return data.path("output_index").asInt(-1);
    }

    /**
     * The {@code error} event has {@code code}, {@code message} and {@code param} at its top level (some
     * servers nest them under {@code error}); either way it becomes OpenAI's error body.
     */
    private static ObjectNode streamErrorBody(ObjectNode data) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        ObjectNode nested = EventJson.object(data, "error");
        if (nested != null) {
            body.set("error", nested);
        } else {
            ObjectNode fields = data.deepCopy();
            fields.remove("type");
            fields.remove("sequence_number");
            body.set("error", fields);
        }
        return body;
    }

    /** The first error is the cause; a later {@code response.failed} only repeats it. */
    private void recordError(ObjectNode body) {
        if (error == null) {
            error = body;
        }
    }

    private ArrayNode outputJson() {
        ArrayNode output = Json.MAPPER.createArrayNode();
        items.values().forEach(item -> output.add(item.toJson()));
        return output;
    }

    @Override
    public JsonNode result() {
        if (finalResponse != null) {
            return finalResponse.deepCopy();
        }
        if (snapshot == null && items.isEmpty()) {
            return null;
        }
        ObjectNode partial = snapshot == null ? Json.MAPPER.createObjectNode() : snapshot.deepCopy();
        partial.set("output", outputJson());
        return partial;
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
