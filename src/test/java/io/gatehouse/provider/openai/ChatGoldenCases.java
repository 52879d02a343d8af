package io.gatehouse.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.pipeline.Json;
import io.gatehouse.provider.translate.Message;
import io.gatehouse.provider.translate.Part;
import io.gatehouse.provider.translate.Reasoning;
import io.gatehouse.provider.translate.ResponseFormat;
import io.gatehouse.provider.translate.Role;
import io.gatehouse.provider.translate.ToolChoice;
import io.gatehouse.provider.translate.ToolSpec;
import io.gatehouse.provider.translate.UnifiedRequest;

import java.io.UncheckedIOException;
import java.util.List;

/** The unified side of the request goldens, which both codecs meet from opposite ends. */
final class ChatGoldenCases {

    private ChatGoldenCases() {
    }

    static JsonNode parse(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** request-conversation.json: system prompts, thinking, parallel tool calls and their results. */
    static UnifiedRequest conversation() {
        return new UnifiedRequest(
                "claude-sonnet-4-5",
                List.of(new Part.Text("You are a travel assistant."), new Part.Text("Answer in one sentence.")),
                List.of(
                        new Message(Role.USER, List.of(new Part.Text("What's the weather and time in Zürich?"))),
                        new Message(Role.ASSISTANT, List.of(
                                new Part.Thinking("The user wants weather and time.", "EqQBCkYIBxgCKkB3sig=="),
                                new Part.RedactedThinking("EmwKAhgBEgy3va3pzix/LafPsn4aDFIT"),
                                new Part.Text("Let me check both."),
                                new Part.ToolCall("toolu_01W3ath3r", "get_weather", "{\"city\":\"Zürich\"}"),
                                new Part.ToolCall("toolu_02T1m3", "get_time", "{\"zone\": \"Europe/Zurich\"}"))),
                        new Message(Role.USER, List.of(
                                new Part.ToolResult("toolu_01W3ath3r", List.of(new Part.Text("12°C, light rain")), false),
                                new Part.ToolResult("toolu_02T1m3", List.of(new Part.Text("14:05")), false),
                                new Part.Text("Thanks! Summarise please.")))),
                List.of(
                        new ToolSpec("get_weather", "Current weather for a city", parse("""
                                {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"],
                                 "additionalProperties": false}"""), true),
                        new ToolSpec("get_time", null, parse("""
                                {"type": "object", "properties": {"zone": {"type": "string"}}}"""), null)),
                new ToolChoice(ToolChoice.Mode.REQUIRED, null, false),
                1024, 0.2, 0.9, null, List.of("END"), 42L, 0.1, 0.3, null,
                new Reasoning("low", null), "user-1234", true, true);
    }

    /** request-images.json: an image by URL and one inline, a named tool choice, the legacy max_tokens. */
    static UnifiedRequest images() {
        return new UnifiedRequest(
                "gemini-2.5-flash",
                List.of(),
                List.of(new Message(Role.USER, List.of(
                        new Part.Text("Compare these two pictures."),
                        new Part.Image("https://upload.example.org/cat.jpg", null, null, "high"),
                        new Part.Image(null, "image/png", "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"
                                + "+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==", "low")))),
                List.of(new ToolSpec("describe", "Describe an image", parse("""
                        {"type": "object", "properties": {"which": {"type": "integer"}}}"""), null)),
                new ToolChoice(ToolChoice.Mode.NAMED, "describe", null),
                300, null, null, null, List.of("\n\n", "END"), null, null, null, null, null, null, false, false);
    }

    /** request-json-schema.json: a strict schema using keywords OpenAI's strict mode rejects, kept as sent. */
    static UnifiedRequest jsonSchema() {
        JsonNode schema = OpenAiChatGoldens.json("request-json-schema.json")
                .at("/response_format/json_schema/schema");
        return new UnifiedRequest(
                "claude-haiku-4-5",
                List.of(new Part.Text("Extract the event.")),
                List.of(new Message(Role.USER, List.of(new Part.Text("Alice and Bob meet on Friday at noon.")))),
                List.of(), null, null, 0.0, null, null, List.of(), null, null, null,
                new ResponseFormat(ResponseFormat.Kind.JSON_SCHEMA, "calendar_event", schema, true),
                null, null, false, false);
    }

    /**
     * What an Anthropic client sends after two tool calls, one of which failed: request-tool-error.encoded.json is
     * its OpenAI form.
     */
    static UnifiedRequest toolErrorFromAnthropic() {
        return new UnifiedRequest(
                "gpt-4.1-mini",
                List.of(new Part.Text("Be brief.")),
                List.of(
                        new Message(Role.USER, List.of(new Part.Text("What is in /etc?"))),
                        new Message(Role.ASSISTANT, List.of(
                                new Part.Thinking("I should look at the files.", "EqQBsig"),
                                new Part.ToolCall("toolu_01R3ad", "read_file", "{\"path\":\"/etc/motd\"}"),
                                new Part.ToolCall("toolu_02L1st", "list_dir", "{\"path\":\"/etc\"}"))),
                        new Message(Role.USER, List.of(
                                new Part.ToolResult("toolu_01R3ad", List.of(new Part.Text("permission denied")), true),
                                new Part.ToolResult("toolu_02L1st",
                                        List.of(new Part.Text("motd"), new Part.Text("hosts")), false)))),
                List.of(
                        new ToolSpec("read_file", "Read a file", parse("""
                                {"type": "object", "properties": {"path": {"type": "string"}}}"""), null),
                        new ToolSpec("list_dir", null, parse("""
                                {"type": "object", "properties": {"path": {"type": "string"}}}"""), null)),
                new ToolChoice(ToolChoice.Mode.AUTO, null, null),
                256, null, null, null, null, null, null, null, null,
                new Reasoning(null, 2048), null, false, false);
    }
}
