package io.gatehouse.provider.translate;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/** One piece of a message's content. */
public sealed interface Part {

    record Text(String text) implements Part {
    }

    /**
     * An image, by URL or inline.
     *
     * @param url       an http(s) URL, or null when the image is inline
     * @param mediaType the MIME type of inline data (image/png…), or null for a URL
     * @param base64    the inline bytes, base64, or null for a URL
     * @param detail    OpenAI's {@code detail} hint, or null
     */
    record Image(String url, String mediaType, String base64, String detail) implements Part {
        public boolean inline() {
            return base64 != null;
        }
    }

    /**
     * The model asking for a tool.
     *
     * @param arguments the arguments as JSON text, exactly as the model produced them
     */
    record ToolCall(String id, String name, String arguments) implements Part {
    }

    /** A tool's answer to the call with {@code toolCallId}; its content is text and images. */
    record ToolResult(String toolCallId, List<Part> content, boolean isError) implements Part {
        public ToolResult {
            content = List.copyOf(content);
        }
    }

    /** Reasoning the model showed, with the signature the provider needs to accept it back in a later turn. */
    record Thinking(String text, String signature) implements Part {
    }

    /** Reasoning the provider encrypted; only the same provider can read {@code data}. */
    record RedactedThinking(String data) implements Part {
    }

    /** A document or other content the unified shape does not model, kept as the inbound API's JSON. */
    record Opaque(String type, JsonNode json) implements Part {
    }
}
