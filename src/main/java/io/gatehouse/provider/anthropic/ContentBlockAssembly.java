package io.gatehouse.provider.anthropic;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.pipeline.Json;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One content block of a streamed message: the block as {@code content_block_start} announced it, plus
 * its deltas. Text is joined in builders ({@code text_delta} into {@code text}, {@code thinking_delta}
 * into {@code thinking}); a tool's input arrives as {@code input_json_delta} fragments of one JSON text
 * that is parsed only when the block is read. Blocks that arrive whole ({@code redacted_thinking},
 * {@code web_search_tool_result}, …) simply keep what the start gave.
 */
final class ContentBlockAssembly {
    /** Where the input JSON goes when it does not parse (a stream cut mid-tool-call, a model's bad JSON). */
    static final String UNPARSED_INPUT_FIELD = "unparsed_input_json";
    /** {@code {"a":1}}} must count as broken, not as {@code {"a":1}} with noise after it. */
    private static final ObjectReader STRICT_JSON =
            Json.MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final ObjectNode block;
    private final Map<String, StringBuilder> texts = new LinkedHashMap<>();
    private StringBuilder inputJson;

    ContentBlockAssembly(ObjectNode announced) {
        this.block = announced;
    }

    void apply(ObjectNode delta) {
        switch (delta.path("type").asText()) {
            case "text_delta" -> appendText("text", delta.path("text").asText());
            case "thinking_delta" -> appendText("thinking", delta.path("thinking").asText());
            case "input_json_delta" -> {
                if (inputJson == null) {
                    inputJson = new StringBuilder();
                }
                inputJson.append(delta.path("partial_json").asText());
            }
            // The signature comes whole in one delta at the end of a thinking block; Anthropic's SDKs set it,
            // they do not append it.
            case "signature_delta" -> {
                if (delta.path("signature").isTextual()) {
                    block.set("signature", delta.get("signature"));
                }
            }
            case "citations_delta" -> {
                JsonNode citation = delta.get("citation");
                if (citation != null) {
                    ArrayNode citations = block.get("citations") instanceof ArrayNode existing
                            ? existing : block.putArray("citations");
                    citations.add(citation);
                }
            }
            default -> {
                // A delta type this gateway does not know yet: the block keeps what it has.
            }
        }
    }

    private void appendText(String field, String fragment) {
        texts.computeIfAbsent(field, f -> new StringBuilder(block.path(f).asText(""))).append(fragment);
    }

    ObjectNode toJson() {
        ObjectNode json = block.deepCopy();
        texts.forEach((field, text) -> json.put(field, text.toString()));
        if (inputJson != null) {
            setInput(json, inputJson.toString());
        }
        return json;
    }

    /** As unstreamed: an empty input is {@code {}}; JSON that will not parse is kept raw beside it. */
    private static void setInput(ObjectNode json, String text) {
        if (text.isBlank()) {
            json.putObject("input");
            return;
        }
        try {
            if (STRICT_JSON.readTree(text) instanceof ObjectNode input) {
                json.set("input", input);
                return;
            }
        } catch (JsonProcessingException e) {
            // Falls through: kept raw below.
        }
        json.put(UNPARSED_INPUT_FIELD, text);
    }
}
