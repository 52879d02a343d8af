package io.gatehouse.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.pipeline.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes recordings in the {@code http_recorder} format, record by record, in whatever order a test needs. */
public final class RecordingFixture {
    public static final String OPENAI_STREAM_TEXT = "Hello there";
    public static final String ANTHROPIC_STREAM_TEXT = "Bonjour";
    /** The line of {@link #concurrentTraffic()}'s malformed record in its file. */
    public static final int MALFORMED_LINE = 9;

    private final List<String> lines = new ArrayList<>();

    public RecordingFixture request(String requestId, String provider, String path, JsonNode body,
                                    Map<String, String> headers, double startTime) {
        ObjectNode record = record("request", requestId)
                .put("method", "POST")
                .put("url", path)
                .put("path", path)
                .put("query", "")
                .put("session_id", (String) null)
                .put("agent_id", (String) null)
                .put("provider", provider)
                .put("model", body.path("model").asText())
                .put("is_streaming", body.path("stream").asBoolean(false))
                .put("start_time", startTime);
        Map<String, String> allHeaders = new LinkedHashMap<>();
        allHeaders.put("content-type", "application/json");
        allHeaders.put("host", "127.0.0.1:4000");
        allHeaders.putAll(headers);
        allHeaders.forEach(record.putObject("headers")::put);
        record.set("body", body(body));
        return add(record);
    }

    public RecordingFixture jsonResponse(String requestId, int status, JsonNode body) {
        ObjectNode record = record("response", requestId).put("status_code", status).put("is_streaming", false)
                .put("duration_ms", 12.5).put("end_time", 1_000.9);
        record.putObject("headers").put("content-type", "application/json").put("x-request-id", "upstream-" + requestId)
                .put("set-cookie", ReplayHeaders.REDACTED);
        record.set("body", body(body));
        return add(record);
    }

    public RecordingFixture sseResponse(String requestId, String sse) {
        ObjectNode record = record("response", requestId).put("status_code", 200).put("is_streaming", true)
                .put("duration_ms", 40.0).put("end_time", 1_001.0);
        record.putObject("headers").put("content-type", "text/event-stream; charset=utf-8").put("cache-control", "no-cache");
        record.putObject("body").put("size", sse.length()).put("type", "text").put("content", sse);
        return add(record);
    }

    public RecordingFixture error(String requestId, String type, String message, int status) {
        return add(record("error", requestId).put("error_type", type).put("error_message", message)
                .put("method", "POST").put("path", "/v1/chat/completions").put("status_code", status));
    }

    public RecordingFixture raw(String line) {
        lines.add(line);
        return this;
    }

    public Path writeTo(Path directory, String fileName) {
        try {
            Files.createDirectories(directory);
            return Files.writeString(directory.resolve(fileName), String.join("\n", lines) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Two concurrent chat calls whose records interleave (B's response before A's), a streamed OpenAI call, a
     * streamed Anthropic call under its provider prefix, a call that failed, a request left unpaired, and a
     * malformed line at {@link #MALFORMED_LINE}.
     */
    public static RecordingFixture concurrentTraffic() {
        return new RecordingFixture()
                .request("req-a", "openai", "/v1/chat/completions", chatRequest("Question A", false),
                        Map.of("authorization", ReplayHeaders.REDACTED, "x-gatehouse-session-id", "session-a"), 1_000.0)
                .request("req-b", "openai", "/v1/chat/completions", chatRequest("Question B", false),
                        Map.of("authorization", ReplayHeaders.REDACTED, "x-gatehouse-session-id", "session-b"), 1_000.1)
                .jsonResponse("req-b", 200, chatCompletion("chatcmpl-b", "Answer B"))
                .request("req-c", "openai", "/v1/chat/completions", chatRequest("Stream it", true),
                        Map.of("x-gatehouse-session-id", "session-c"), 1_000.2)
                .request("req-d", "anthropic", "/anthropic/v1/messages", messagesRequest("Dis bonjour", true),
                        Map.of("anthropic-version", "2023-06-01", "x-api-key", ReplayHeaders.REDACTED,
                                "x-gatehouse-session-id", "session-d"), 1_000.3)
                .sseResponse("req-d", anthropicStream(ANTHROPIC_STREAM_TEXT))
                .sseResponse("req-c", openAiStream("chatcmpl-c", "Hel", "lo", " there"))
                .jsonResponse("req-a", 200, chatCompletion("chatcmpl-a", "Answer A"))
                .raw("{\"type\":\"response\",\"request_id\":\"req-x\",")
                .request("req-e", "openai", "/v1/chat/completions", chatRequest("Question E", false),
                        Map.of("x-gatehouse-session-id", "session-e"), 1_000.4)
                .error("req-e", "upstream_unreachable", "connection refused", 502)
                .request("req-f", "openai", "/v1/chat/completions", chatRequest("Question F", false),
                        Map.of("x-gatehouse-session-id", "session-f"), 1_000.5);
    }

    public static ObjectNode chatRequest(String question, boolean stream) {
        ObjectNode body = Json.MAPPER.createObjectNode().put("model", "gpt-4o-mini");
        body.putArray("messages").addObject().put("role", "user").put("content", question);
        if (stream) {
            body.put("stream", true);
            body.putObject("stream_options").put("include_usage", true);
        }
        return body;
    }

    public static ObjectNode messagesRequest(String question, boolean stream) {
        ObjectNode body = Json.MAPPER.createObjectNode().put("model", "claude-test").put("max_tokens", 100);
        body.putArray("messages").addObject().put("role", "user").put("content", question);
        if (stream) {
            body.put("stream", true);
        }
        return body;
    }

    public static ObjectNode chatCompletion(String id, String answer) {
        ObjectNode body = Json.MAPPER.createObjectNode().put("id", id).put("object", "chat.completion")
                .put("created", 1_700_000_000).put("model", "gpt-4o-mini").put("system_fingerprint", "fp_" + id);
        ObjectNode choice = body.putArray("choices").addObject().put("index", 0).put("finish_reason", "stop");
        choice.putObject("message").put("role", "assistant").put("content", answer);
        body.putObject("usage").put("prompt_tokens", 9).put("completion_tokens", 2).put("total_tokens", 11);
        return body;
    }

    public static ObjectNode anthropicMessage(String id, String answer) {
        ObjectNode body = Json.MAPPER.createObjectNode().put("id", id).put("type", "message").put("role", "assistant")
                .put("model", "claude-test").put("stop_reason", "end_turn");
        body.putArray("content").addObject().put("type", "text").put("text", answer);
        body.putObject("usage").put("input_tokens", 7).put("output_tokens", 2);
        return body;
    }

    /** An OpenAI chat stream of {@code pieces}, then the finish reason, the usage chunk and {@code [DONE]}. */
    public static String openAiStream(String id, String... pieces) {
        StringBuilder sse = new StringBuilder();
        sse.append(chunk(id, "{\"role\":\"assistant\",\"content\":\"\"}", null));
        for (String piece : pieces) {
            sse.append(chunk(id, "{\"content\":" + Json.writeString(piece) + "}", null));
        }
        sse.append(chunk(id, "{}", "\"stop\""));
        sse.append("data: {\"id\":\"").append(id).append("\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,")
                .append("\"model\":\"gpt-4o-mini\",\"choices\":[],")
                .append("\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":3,\"total_tokens\":8}}\n\n");
        return sse.append("data: [DONE]\n\n").toString();
    }

    private static String chunk(String id, String delta, String finishReason) {
        return "data: {\"id\":\"" + id + "\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
                + "\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":"
                + finishReason + "}]}\n\n";
    }

    /** An Anthropic Messages stream whose one text block is {@code text}, sent in two deltas. */
    public static String anthropicStream(String text) {
        int half = text.length() / 2;
        return event("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\","
                + "\"role\":\"assistant\",\"model\":\"claude-test\",\"content\":[],\"stop_reason\":null,"
                + "\"usage\":{\"input_tokens\":7,\"output_tokens\":1}}}")
                + event("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,"
                + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}")
                + event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,"
                + "\"delta\":{\"type\":\"text_delta\",\"text\":" + Json.writeString(text.substring(0, half)) + "}}")
                + event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,"
                + "\"delta\":{\"type\":\"text_delta\",\"text\":" + Json.writeString(text.substring(half)) + "}}")
                + event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}")
                + event("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\","
                + "\"stop_sequence\":null},\"usage\":{\"output_tokens\":2}}")
                + event("message_stop", "{\"type\":\"message_stop\"}");
    }

    private static String event(String name, String data) {
        return "event: " + name + "\ndata: " + data + "\n\n";
    }

    private ObjectNode record(String type, String requestId) {
        return Json.MAPPER.createObjectNode().put("type", type).put("request_id", requestId)
                .put("timestamp", "2026-11-23T18:00:00.000Z");
    }

    private static ObjectNode body(JsonNode content) {
        ObjectNode body = Json.MAPPER.createObjectNode().put("size", Json.write(content).length).put("type", "json");
        body.set("content", content);
        return body;
    }

    private RecordingFixture add(ObjectNode record) {
        lines.add(Json.writeString(record));
        return this;
    }
}
