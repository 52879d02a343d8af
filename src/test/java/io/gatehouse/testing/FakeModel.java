package io.gatehouse.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.pipeline.Json;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * The "model" behind {@link FakeGemini} and {@link FakeBedrock}, which answers like the demo upstream does for OpenAI
 * and Anthropic, so one test reads the same for every provider: it echoes the user's text ({@code "Echo: " + text}),
 * calls the first declared tool when the last turn is the user's text, and echoes a tool's result once it has one.
 * A token is a word, so tests know the usage a fake reports.
 */
public final class FakeModel {
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final Pattern BEFORE_WHITESPACE_RUN = Pattern.compile("(?<=\\S)(?=\\s)");

    private FakeModel() {
    }

    public static String echo(String text) {
        return "Echo: " + text;
    }

    /** The tokens a fake counts in this text: its words. */
    public static int tokens(String text) {
        String trimmed = text == null ? "" : text.strip();
        return trimmed.isEmpty() ? 0 : WHITESPACE.split(trimmed).length;
    }

    /** The arguments of a call to a tool with this JSON schema: every required property, strings set to the user's text. */
    static ObjectNode argumentsFor(JsonNode schema, String userText) {
        ObjectNode arguments = Json.MAPPER.createObjectNode();
        for (JsonNode required : schema.path("required")) {
            String name = required.asText();
            switch (schema.path("properties").path(name).path("type").asText("string")) {
                case "number", "integer" -> arguments.put(name, 1);
                case "boolean" -> arguments.put(name, true);
                default -> arguments.put(name, userText);
            }
        }
        return arguments;
    }

    /** The text cut before each run of whitespace, as models stream it: the pieces concatenate back to the text. */
    static List<String> words(String text) {
        return List.of(BEFORE_WHITESPACE_RUN.split(text, -1));
    }

    /** A JSON text cut into pieces of at most {@code size} characters, as tool arguments are streamed. */
    static List<String> pieces(String text, int size) {
        List<String> pieces = new ArrayList<>();
        for (int start = 0; start < text.length(); start += size) {
            pieces.add(text.substring(start, Math.min(text.length(), start + size)));
        }
        return pieces;
    }

    static String randomId(String prefix) {
        StringBuilder id = new StringBuilder(prefix);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        for (int i = 0; i < 20; i++) {
            id.append(alphabet.charAt(ThreadLocalRandom.current().nextInt(alphabet.length())));
        }
        return id.toString();
    }
}
