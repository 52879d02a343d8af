package io.gatehouse.provider.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;

import static io.gatehouse.provider.demo.DemoUpstream.JSON;

/** The Anthropic side of the demo upstream: Messages, token counting and the model list. */
final class DemoAnthropic implements DemoDialect {

    /** What the demo "model" answers: either text or tool uses. */
    private record Reply(String text, List<DemoTools.Call> toolUses) {
        static Reply text(String text) {
            return new Reply(text, List.of());
        }

        String stopReason() {
            return toolUses.isEmpty() ? "end_turn" : "tool_use";
        }

        int outputTokens() {
            return toolUses.isEmpty()
                    ? DemoText.countWords(text)
                    : toolUses.stream().mapToInt(call -> DemoText.countWords(call.argumentsJson())).sum();
        }
    }

    private record Turn(String id, String model, Reply reply, int inputTokens) {
    }

    // ---- dialect ----

    @Override
    public boolean hasKey(HttpServerRequest request, String requiredKey) {
        if (requiredKey == null) {
            return true;
        }
        String presented = request.getHeader("x-api-key");
        return DemoDialect.sameKey(presented == null ? "" : presented, requiredKey);
    }

    @Override
    public void addResponseHeaders(HttpServerResponse response, long processingMs) {
        response.putHeader("request-id", DemoText.randomId("req_", 24));
    }

    @Override
    public void fail(HttpServerRequest request, DemoFailure failure, String message, String param) {
        HttpServerResponse response = request.response();
        String requestId = DemoText.randomId("req_", 24);
        ObjectNode body = JSON.createObjectNode().put("type", "error");
        body.putObject("error")
                .put("type", errorType(failure))
                .put("message", message != null ? message : defaultMessage(failure));
        body.put("request_id", requestId);
        response.setStatusCode(failure.status)
                .putHeader("request-id", requestId)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(Buffer.buffer(DemoExchange.toBytes(body)));
    }

    private static String errorType(DemoFailure failure) {
        return switch (failure) {
            case INVALID_REQUEST -> "invalid_request_error";
            case AUTHENTICATION -> "authentication_error";
            case NOT_FOUND -> "not_found_error";
            case INTERNAL -> "api_error";
        };
    }

    private static String defaultMessage(DemoFailure failure) {
        return switch (failure) {
            case INVALID_REQUEST -> "Invalid request.";
            case AUTHENTICATION -> "invalid x-api-key";
            case NOT_FOUND -> "Not Found";
            case INTERNAL -> "Internal server error";
        };
    }

    // ---- messages ----

    void messages(DemoExchange exchange) {
        String model = exchange.requiredText("model");
        JsonNode messages = exchange.requiredArray("messages");
        Turn turn = new Turn(DemoText.randomId("msg_", 24), model, reply(exchange.body(), messages),
                inputTokens(exchange.body(), messages));
        if (exchange.wantsStream()) {
            exchange.sendEvents(messageEvents(turn));
        } else {
            exchange.sendJson(200, message(turn));
        }
    }

    void countTokens(DemoExchange exchange) {
        exchange.requiredText("model");
        JsonNode messages = exchange.requiredArray("messages");
        exchange.sendJson(200, JSON.createObjectNode().put("input_tokens", inputTokens(exchange.body(), messages)));
    }

    private static Reply reply(JsonNode body, JsonNode messages) {
        JsonNode userContent = lastUserContent(messages);
        JsonNode toolResult = lastToolResult(userContent);
        if (toolResult != null) {
            return Reply.text(DemoText.echo(textOf(toolResult.path("content"))));
        }
        String userText = textOf(userContent);
        List<DemoTools.Tool> tools = customTools(body.path("tools"));
        JsonNode toolChoice = body.path("tool_choice");
        String choiceType = toolChoice.path("type").asText("auto");
        if (tools.isEmpty() || "none".equals(choiceType)) {
            return Reply.text(DemoText.echo(userText));
        }
        String forcedName = "tool".equals(choiceType) ? toolChoice.path("name").asText() : null;
        boolean parallelAllowed = !toolChoice.path("disable_parallel_tool_use").asBoolean(false);
        return new Reply(null, DemoTools.plan(tools, forcedName, parallelAllowed, userText, "toolu_"));
    }

    /** Client tools only: server tools such as web search carry no input schema for the demo to fill. */
    private static List<DemoTools.Tool> customTools(JsonNode tools) {
        return StreamSupport.stream(tools.spliterator(), false)
                .filter(tool -> tool.path("name").isTextual() && tool.has("input_schema"))
                .map(tool -> new DemoTools.Tool(tool.path("name").asText(), tool.path("input_schema")))
                .toList();
    }

    private static JsonNode lastUserContent(JsonNode messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if ("user".equals(messages.get(i).path("role").asText())) {
                return messages.get(i).path("content");
            }
        }
        return JSON.missingNode();
    }

    private static JsonNode lastToolResult(JsonNode content) {
        JsonNode found = null;
        for (JsonNode block : content) {
            if ("tool_result".equals(block.path("type").asText())) {
                found = block;
            }
        }
        return found;
    }

    /** Content is a plain string or a list of blocks, of which only the text blocks count here. */
    private static String textOf(JsonNode content) {
        if (content.isTextual()) {
            return content.asText();
        }
        List<String> texts = new ArrayList<>();
        for (JsonNode block : content) {
            if ("text".equals(block.path("type").asText())) {
                texts.add(block.path("text").asText());
            }
        }
        return String.join(" ", texts);
    }

    private static int inputTokens(JsonNode body, JsonNode messages) {
        int words = DemoText.countWords(textOf(body.path("system")));
        for (JsonNode message : messages) {
            JsonNode content = message.path("content");
            words += DemoText.countWords(textOf(content));
            for (JsonNode block : content) {
                words += DemoText.countWords(textOf(block.path("content")));
            }
        }
        return words;
    }

    private static ObjectNode message(Turn turn) {
        ObjectNode message = messageHeader(turn);
        ArrayNode content = message.putArray("content");
        if (turn.reply().toolUses().isEmpty()) {
            content.addObject().put("type", "text").put("text", turn.reply().text());
        } else {
            turn.reply().toolUses().forEach(call -> content.add(toolUse(call, call.arguments())));
        }
        message.put("stop_reason", turn.reply().stopReason()).putNull("stop_sequence");
        message.set("usage", usage(turn.inputTokens(), turn.reply().outputTokens()));
        return message;
    }

    private static ObjectNode messageHeader(Turn turn) {
        return JSON.createObjectNode()
                .put("id", turn.id())
                .put("type", "message")
                .put("role", "assistant")
                .put("model", turn.model());
    }

    private static ObjectNode toolUse(DemoTools.Call call, JsonNode input) {
        ObjectNode block = JSON.createObjectNode().put("type", "tool_use").put("id", call.id()).put("name", call.name());
        block.set("input", input);
        // Current SDKs require the caller; "direct" means the model itself called the tool.
        block.putObject("caller").put("type", "direct");
        return block;
    }

    private static ObjectNode usage(int inputTokens, int outputTokens) {
        ObjectNode usage = JSON.createObjectNode()
                .put("input_tokens", inputTokens)
                .put("cache_creation_input_tokens", 0)
                .put("cache_read_input_tokens", 0);
        usage.putObject("cache_creation").put("ephemeral_5m_input_tokens", 0).put("ephemeral_1h_input_tokens", 0);
        return usage.put("output_tokens", outputTokens).put("service_tier", "standard");
    }

    // ---- streaming ----

    /** Anthropic's event sequence: message start, one start/delta.../stop group per block, message delta, stop. */
    private static List<String> messageEvents(Turn turn) {
        List<ObjectNode> events = new ArrayList<>();
        ObjectNode started = messageHeader(turn);
        started.putArray("content");
        started.putNull("stop_reason").putNull("stop_sequence");
        started.set("usage", usage(turn.inputTokens(), 1));
        events.add(event("message_start").set("message", started));

        List<DemoTools.Call> toolUses = turn.reply().toolUses();
        if (toolUses.isEmpty()) {
            events.addAll(textBlockEvents(0, turn.reply().text()));
        } else {
            for (int index = 0; index < toolUses.size(); index++) {
                events.addAll(toolUseBlockEvents(index, toolUses.get(index)));
            }
        }
        // Anthropic pings once, right after the first block has started.
        events.add(2, event("ping"));

        ObjectNode finished = event("message_delta");
        finished.putObject("delta").put("stop_reason", turn.reply().stopReason()).putNull("stop_sequence");
        finished.putObject("usage").put("output_tokens", turn.reply().outputTokens());
        events.add(finished);
        events.add(event("message_stop"));
        return events.stream().map(data -> DemoSse.event(data.path("type").asText(), data)).toList();
    }

    private static List<ObjectNode> textBlockEvents(int index, String text) {
        List<ObjectNode> events = new ArrayList<>();
        ObjectNode start = blockEvent("content_block_start", index);
        start.putObject("content_block").put("type", "text").put("text", "");
        events.add(start);
        for (String word : DemoText.wordsWithSpaces(text)) {
            ObjectNode delta = blockEvent("content_block_delta", index);
            delta.putObject("delta").put("type", "text_delta").put("text", word);
            events.add(delta);
        }
        events.add(blockEvent("content_block_stop", index));
        return events;
    }

    private static List<ObjectNode> toolUseBlockEvents(int index, DemoTools.Call call) {
        List<ObjectNode> events = new ArrayList<>();
        events.add(blockEvent("content_block_start", index).set("content_block", toolUse(call, JSON.createObjectNode())));
        for (String piece : DemoText.pieces(call.argumentsJson(), 3)) {
            ObjectNode delta = blockEvent("content_block_delta", index);
            delta.putObject("delta").put("type", "input_json_delta").put("partial_json", piece);
            events.add(delta);
        }
        events.add(blockEvent("content_block_stop", index));
        return events;
    }

    private static ObjectNode event(String type) {
        return JSON.createObjectNode().put("type", type);
    }

    private static ObjectNode blockEvent(String type, int index) {
        return event(type).put("index", index);
    }

    // ---- models ----

    void models(DemoExchange exchange) {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode data = body.putArray("data");
        String createdAt = Instant.ofEpochSecond(DemoModel.CREATED_EPOCH_SECONDS).toString();
        for (DemoModel model : DemoModel.ALL) {
            data.addObject()
                    .put("type", "model")
                    .put("id", model.id())
                    .put("display_name", model.displayName())
                    .put("created_at", createdAt)
                    .put("lifecycle", "active")
                    .put("max_input_tokens", 200_000)
                    .put("max_tokens", 64_000);
        }
        body.put("has_more", false)
                .put("first_id", DemoModel.ALL.getFirst().id())
                .put("last_id", DemoModel.ALL.getLast().id());
        exchange.sendJson(200, body);
    }
}
