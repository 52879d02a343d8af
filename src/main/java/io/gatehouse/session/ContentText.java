package io.gatehouse.session;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The plain text of a content value that is either a string or a list of parts. */
final class ContentText {
    private static final Set<String> TEXT_PART_TYPES = Set.of("text", "input_text", "output_text");

    private ContentText() {
    }

    /** The string itself, or the text parts of a list joined by a newline; null for anything else. */
    static String of(JsonNode content) {
        if (content == null) {
            return null;
        }
        if (content.isTextual()) {
            return content.asText();
        }
        if (!content.isArray()) {
            return null;
        }
        List<String> texts = new ArrayList<>();
        for (JsonNode part : content) {
            JsonNode text = part.get("text");
            if (text != null && text.isTextual() && TEXT_PART_TYPES.contains(part.path("type").asText("text"))) {
                texts.add(text.asText());
            }
        }
        return String.join("\n", texts);
    }
}
