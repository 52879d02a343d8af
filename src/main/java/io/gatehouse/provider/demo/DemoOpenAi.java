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

/** The OpenAI side of the demo upstream: Chat Completions, Responses, Embeddings and the model list. */
final class DemoOpenAi implements DemoDialect {

    private static final String FINGERPRINT = "fp_gatehouse_demo";

    /** What the demo "model" answers to a chat: either text or tool calls. */
    private record ChatReply(String text, List<DemoTools.Call> toolCalls) {
        static ChatReply text(String text) {
            return new ChatReply(text, List.of());
        }

        String finishReason() {
            return toolCalls.isEmpty() ? "stop" : "tool_calls";
        }

        int completionTokens() {
            return toolCalls.isEmpty()
                    ? DemoText.countWords(text)
                    : toolCalls.stream().mapToInt(call -> DemoText.countWords(call.argumentsJson())).sum();
        }
    }

    /** The fields every completion and chunk of one answer share. */
    private record Completion(String id, long created, String model, ChatReply reply, int promptTokens) {
    }

    // ---- dialect ----

    @Override
    public boolean hasKey(HttpServerRequest request, String requiredKey) {
        if (requiredKey == null) {
            return true;
        }
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        boolean bearer = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7);
        return DemoDialect.sameKey(bearer ? authorization.substring(7).strip() : "", requiredKey);
    }

    @Override
    public void addResponseHeaders(HttpServerResponse response, long processingMs) {
        response.putHeader("x-request-id", DemoText.randomId("req_", 32))
                .putHeader("openai-processing-ms", Long.toString(processingMs))
                .putHeader("openai-version", "2020-10-01");
    }

    @Override
    public void fail(HttpServerRequest request, DemoFailure failure, String message, String param) {
        ObjectNode error = JSON.createObjectNode()
                .put("message", message != null ? message : defaultMessage(request, failure))
                .put("type", failure == DemoFailure.INTERNAL ? "server_error" : "invalid_request_error")
                .put("param", param)
                .put("code", failure == DemoFailure.AUTHENTICATION ? "invalid_api_key" : null);
        HttpServerResponse response = request.response();
        addResponseHeaders(response, 0);
        response.setStatusCode(failure.status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(Buffer.buffer(DemoExchange.toBytes(JSON.createObjectNode().set("error", error))));
    }

    private static String defaultMessage(HttpServerRequest request, DemoFailure failure) {
        return switch (failure) {
            case AUTHENTICATION -> "Incorrect API key provided.";
            case NOT_FOUND -> "Invalid URL (" + request.method() + " " + request.path() + ")";
            case INVALID_REQUEST -> "Invalid request.";
            case INTERNAL -> "The server had an error while processing your request.";
        };
    }

    // ---- chat completions ----

    void chatCompletions(DemoExchange exchange) {
        String model = exchange.requiredText("model");
        JsonNode messages = exchange.requiredArray("messages");
        ChatReply reply = chatReply(exchange.body(), messages);
        Completion completion = new Completion(DemoText.randomId("chatcmpl-", 29),
                Instant.now().getEpochSecond(), model, reply, promptTokens(messages));
        if (exchange.wantsStream()) {
            boolean includeUsage = exchange.body().path("stream_options").path("include_usage").asBoolean(false);
            exchange.sendEvents(chatChunks(completion, includeUsage));
        } else {
            exchange.sendJson(200, chatCompletion(completion));
        }
    }

    private static ChatReply chatReply(JsonNode body, JsonNode messages) {
        JsonNode last = messages.get(messages.size() - 1);
        if ("tool".equals(last.path("role").asText())) {
            return ChatReply.text(DemoText.echo(contentText(last.path("content"))));
        }
        String userText = lastUserText(messages);
        List<DemoTools.Tool> tools = functionTools(body.path("tools"));
        JsonNode toolChoice = body.path("tool_choice");
        if (tools.isEmpty() || "none".equals(toolChoice.asText())) {
            return ChatReply.text(DemoText.echo(userText));
        }
        String forcedName = toolChoice.path("function").path("name").textValue();
        boolean parallelAllowed = body.path("parallel_tool_calls").asBoolean(true);
        return new ChatReply(null, DemoTools.plan(tools, forcedName, parallelAllowed, userText, "call_"));
    }

    private static List<DemoTools.Tool> functionTools(JsonNode tools) {
        return StreamSupport.stream(tools.spliterator(), false)
                .filter(tool -> tool.path("function").path("name").isTextual())
                .map(tool -> new DemoTools.Tool(tool.path("function").path("name").asText(),
                        tool.path("function").path("parameters")))
                .toList();
    }

    private static String lastUserText(JsonNode messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if ("user".equals(messages.get(i).path("role").asText())) {
                return contentText(messages.get(i).path("content"));
            }
        }
        return "";
    }

    /** Message content is either a plain string or a list of typed parts, of which only text counts here. */
    private static String contentText(JsonNode content) {
        if (content.isTextual()) {
            return content.asText();
        }
        List<String> texts = new ArrayList<>();
        for (JsonNode part : content) {
            if (part.path("text").isTextual()) {
                texts.add(part.path("text").asText());
            }
        }
        return String.join(" ", texts);
    }

    private static int promptTokens(JsonNode messages) {
        int words = 0;
        for (JsonNode message : messages) {
            words += DemoText.countWords(contentText(message.path("content")));
        }
        return words;
    }

    private static ObjectNode chatCompletion(Completion completion) {
        ChatReply reply = completion.reply();
        ObjectNode message = JSON.createObjectNode()
                .put("role", "assistant")
                .put("content", reply.text())
                .putNull("refusal");
        if (!reply.toolCalls().isEmpty()) {
            ArrayNode toolCalls = message.putArray("tool_calls");
            reply.toolCalls().forEach(call -> toolCalls.add(toolCall(call)));
        }
        message.putArray("annotations");
        ObjectNode choice = JSON.createObjectNode().put("index", 0);
        choice.set("message", message);
        choice.putNull("logprobs").put("finish_reason", reply.finishReason());

        ObjectNode body = completionHeader(completion, "chat.completion");
        body.putArray("choices").add(choice);
        body.set("usage", usage(completion));
        return body;
    }

    private static ObjectNode toolCall(DemoTools.Call call) {
        ObjectNode toolCall = JSON.createObjectNode().put("id", call.id()).put("type", "function");
        toolCall.putObject("function").put("name", call.name()).put("arguments", call.argumentsJson());
        return toolCall;
    }

    private static ObjectNode completionHeader(Completion completion, String object) {
        return JSON.createObjectNode()
                .put("id", completion.id())
                .put("object", object)
                .put("created", completion.created())
                .put("model", completion.model())
                .put("service_tier", "default")
                .put("system_fingerprint", FINGERPRINT);
    }

    private static ObjectNode usage(Completion completion) {
        int completionTokens = completion.reply().completionTokens();
        ObjectNode usage = JSON.createObjectNode()
                .put("prompt_tokens", completion.promptTokens())
                .put("completion_tokens", completionTokens)
                .put("total_tokens", completion.promptTokens() + completionTokens);
        usage.putObject("prompt_tokens_details").put("cached_tokens", 0).put("audio_tokens", 0);
        usage.putObject("completion_tokens_details").put("reasoning_tokens", 0).put("audio_tokens", 0)
                .put("accepted_prediction_tokens", 0).put("rejected_prediction_tokens", 0);
        return usage;
    }

    private static List<String> chatChunks(Completion completion, boolean includeUsage) {
        ChatReply reply = completion.reply();
        List<String> events = new ArrayList<>();
        ObjectNode roleDelta = JSON.createObjectNode().put("role", "assistant");
        if (reply.toolCalls().isEmpty()) {
            events.add(chunk(completion, roleDelta.put("content", ""), null, includeUsage));
            for (String word : DemoText.wordsWithSpaces(reply.text())) {
                events.add(chunk(completion, JSON.createObjectNode().put("content", word), null, includeUsage));
            }
        } else {
            events.add(chunk(completion, roleDelta.putNull("content"), null, includeUsage));
            for (int index = 0; index < reply.toolCalls().size(); index++) {
                for (ObjectNode delta : toolCallDeltas(index, reply.toolCalls().get(index))) {
                    events.add(chunk(completion, delta, null, includeUsage));
                }
            }
        }
        events.add(chunk(completion, JSON.createObjectNode(), reply.finishReason(), includeUsage));
        if (includeUsage) {
            ObjectNode usageChunk = completionHeader(completion, "chat.completion.chunk");
            usageChunk.putArray("choices");
            usageChunk.set("usage", usage(completion));
            events.add(DemoSse.data(usageChunk));
        }
        events.add(DemoSse.data("[DONE]"));
        return events;
    }

    /** The call's id and name with empty arguments first, then the arguments in several pieces, as OpenAI does. */
    private static List<ObjectNode> toolCallDeltas(int index, DemoTools.Call call) {
        List<ObjectNode> deltas = new ArrayList<>();
        ObjectNode opening = JSON.createObjectNode().put("index", index).put("id", call.id()).put("type", "function");
        opening.putObject("function").put("name", call.name()).put("arguments", "");
        deltas.add(toolCallsDelta(opening));
        for (String piece : DemoText.pieces(call.argumentsJson(), 3)) {
            ObjectNode fragment = JSON.createObjectNode().put("index", index);
            fragment.putObject("function").put("arguments", piece);
            deltas.add(toolCallsDelta(fragment));
        }
        return deltas;
    }

    private static ObjectNode toolCallsDelta(ObjectNode toolCall) {
        ObjectNode delta = JSON.createObjectNode();
        delta.putArray("tool_calls").add(toolCall);
        return delta;
    }

    private static String chunk(Completion completion, ObjectNode delta, String finishReason, boolean includeUsage) {
        ObjectNode choice = JSON.createObjectNode().put("index", 0);
        choice.set("delta", delta);
        choice.putNull("logprobs").put("finish_reason", finishReason);
        ObjectNode chunk = completionHeader(completion, "chat.completion.chunk");
        chunk.putArray("choices").add(choice);
        if (includeUsage) {
            chunk.putNull("usage");
        }
        return DemoSse.data(chunk);
    }

    // ---- embeddings ----

    void embeddings(DemoExchange exchange) {
        String model = exchange.requiredText("model");
        List<String> inputs = embeddingInputs(exchange.body().path("input"));
        boolean base64 = "base64".equals(exchange.body().path("encoding_format").asText());
        ObjectNode body = JSON.createObjectNode().put("object", "list");
        ArrayNode data = body.putArray("data");
        int words = 0;
        for (int index = 0; index < inputs.size(); index++) {
            float[] vector = DemoText.embedding(inputs.get(index));
            ObjectNode item = data.addObject().put("object", "embedding").put("index", index);
            if (base64) {
                item.put("embedding", DemoText.base64(vector));
            } else {
                ArrayNode values = item.putArray("embedding");
                for (float value : vector) {
                    values.add(value);
                }
            }
            words += DemoText.countWords(inputs.get(index));
        }
        body.put("model", model);
        body.putObject("usage").put("prompt_tokens", words).put("total_tokens", words);
        exchange.sendJson(200, body);
    }

    private static List<String> embeddingInputs(JsonNode input) {
        if (input.isTextual()) {
            return List.of(input.asText());
        }
        if (!input.isArray() || input.isEmpty()) {
            throw new InvalidDemoRequest("Missing required parameter: 'input'.", "input");
        }
        return StreamSupport.stream(input.spliterator(), false)
                .map(item -> item.isTextual() ? item.asText() : item.toString())
                .toList();
    }

    // ---- models ----

    void models(DemoExchange exchange) {
        ObjectNode body = JSON.createObjectNode().put("object", "list");
        ArrayNode data = body.putArray("data");
        for (DemoModel model : DemoModel.ALL) {
            data.addObject()
                    .put("id", model.id())
                    .put("object", "model")
                    .put("created", DemoModel.CREATED_EPOCH_SECONDS)
                    .put("owned_by", "gatehouse");
        }
        exchange.sendJson(200, body);
    }

    // ---- responses ----

    /** One Responses API answer; the stream and the final object are both built from it. */
    private record ResponseTurn(String id, long createdAt, String model, String messageId, String text,
                                int inputTokens, JsonNode request) {
    }

    void responses(DemoExchange exchange) {
        String model = exchange.requiredText("model");
        JsonNode body = exchange.body();
        JsonNode input = body.path("input");
        int inputTokens = DemoText.countWords(body.path("instructions").asText("")) + responseInputWords(input);
        ResponseTurn turn = new ResponseTurn(DemoText.randomId("resp_", 48), Instant.now().getEpochSecond(), model,
                DemoText.randomId("msg_", 48), DemoText.echo(responseInputText(input)), inputTokens, body);
        if (exchange.wantsStream()) {
            exchange.sendEvents(responseEvents(turn));
        } else {
            exchange.sendJson(200, responseObject(turn, true));
        }
    }

    /** The last user text, or the output of a function call when that is what the input ends with. */
    private static String responseInputText(JsonNode input) {
        if (input.isTextual()) {
            return input.asText();
        }
        for (int i = input.size() - 1; i >= 0; i--) {
            JsonNode item = input.get(i);
            if ("function_call_output".equals(item.path("type").asText())) {
                return contentText(item.path("output"));
            }
            if ("user".equals(item.path("role").asText())) {
                return contentText(item.path("content"));
            }
        }
        return "";
    }

    private static int responseInputWords(JsonNode input) {
        if (input.isTextual()) {
            return DemoText.countWords(input.asText());
        }
        int words = 0;
        for (JsonNode item : input) {
            words += DemoText.countWords(contentText(item.path("content")));
        }
        return words;
    }

    private static ObjectNode responseObject(ResponseTurn turn, boolean completed) {
        JsonNode request = turn.request();
        ObjectNode response = JSON.createObjectNode()
                .put("id", turn.id())
                .put("object", "response")
                .put("created_at", turn.createdAt())
                .put("status", completed ? "completed" : "in_progress")
                .putNull("error")
                .putNull("incomplete_details");
        response.set("instructions", request.path("instructions").isTextual() ? request.get("instructions") : null);
        response.set("max_output_tokens", request.get("max_output_tokens"));
        response.put("model", turn.model());
        ArrayNode output = response.putArray("output");
        if (completed) {
            output.add(outputMessage(turn, true));
        }
        response.put("parallel_tool_calls", request.path("parallel_tool_calls").asBoolean(true))
                .putNull("previous_response_id");
        response.putObject("reasoning").putNull("effort").putNull("summary");
        response.put("store", request.path("store").asBoolean(true))
                .put("temperature", request.path("temperature").asDouble(1.0));
        response.putObject("text").putObject("format").put("type", "text");
        response.put("tool_choice", "auto");
        response.putArray("tools");
        response.put("top_p", request.path("top_p").asDouble(1.0))
                .put("truncation", "disabled");
        response.set("usage", completed ? responseUsage(turn) : null);
        response.putNull("user");
        response.putObject("metadata");
        return response;
    }

    private static ObjectNode outputMessage(ResponseTurn turn, boolean completed) {
        ObjectNode message = JSON.createObjectNode()
                .put("type", "message")
                .put("id", turn.messageId())
                .put("status", completed ? "completed" : "in_progress")
                .put("role", "assistant");
        ArrayNode content = message.putArray("content");
        if (completed) {
            content.add(outputText(turn.text()));
        }
        return message;
    }

    private static ObjectNode outputText(String text) {
        ObjectNode part = JSON.createObjectNode().put("type", "output_text").put("text", text);
        part.putArray("annotations");
        part.putArray("logprobs");
        return part;
    }

    private static ObjectNode responseUsage(ResponseTurn turn) {
        int outputTokens = DemoText.countWords(turn.text());
        ObjectNode usage = JSON.createObjectNode().put("input_tokens", turn.inputTokens());
        usage.putObject("input_tokens_details").put("cached_tokens", 0);
        usage.put("output_tokens", outputTokens);
        usage.putObject("output_tokens_details").put("reasoning_tokens", 0);
        usage.put("total_tokens", turn.inputTokens() + outputTokens);
        return usage;
    }

    /** The Responses API streaming sequence for a single text message. */
    private static List<String> responseEvents(ResponseTurn turn) {
        ResponseEventSequence events = new ResponseEventSequence();
        events.add("response.created").set("response", responseObject(turn, false));
        events.add("response.in_progress").set("response", responseObject(turn, false));
        events.add("response.output_item.added").put("output_index", 0)
                .set("item", outputMessage(turn, false));
        events.addForPart("response.content_part.added", turn).set("part", outputText(""));
        for (String word : DemoText.wordsWithSpaces(turn.text())) {
            events.addForPart("response.output_text.delta", turn).put("delta", word).putArray("logprobs");
        }
        events.addForPart("response.output_text.done", turn).put("text", turn.text()).putArray("logprobs");
        events.addForPart("response.content_part.done", turn).set("part", outputText(turn.text()));
        events.add("response.output_item.done").put("output_index", 0).set("item", outputMessage(turn, true));
        events.add("response.completed").set("response", responseObject(turn, true));
        return events.framed();
    }

    /** Collects the events of one Responses stream, numbering them as every event's data must be. */
    private static final class ResponseEventSequence {
        private final List<ObjectNode> events = new ArrayList<>();

        /** A new event whose data the caller goes on filling; it is framed only in {@link #framed()}. */
        ObjectNode add(String type) {
            ObjectNode data = JSON.createObjectNode().put("type", type).put("sequence_number", events.size());
            events.add(data);
            return data;
        }

        ObjectNode addForPart(String type, ResponseTurn turn) {
            return add(type).put("item_id", turn.messageId()).put("output_index", 0).put("content_index", 0);
        }

        List<String> framed() {
            return events.stream().map(data -> DemoSse.event(data.path("type").asText(), data)).toList();
        }
    }
}
