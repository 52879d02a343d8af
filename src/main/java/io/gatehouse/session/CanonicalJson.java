package io.gatehouse.session;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Compact JSON with object keys sorted, so that a client re-serializing the same value (say, tool input) with
 * its keys in another order still yields the same signature.
 */
final class CanonicalJson {
    /** Prompt-caching marks move from message to message as a conversation grows; they say nothing about it. */
    private static final String CACHE_CONTROL = "cache_control";

    private CanonicalJson() {
    }

    static String write(JsonNode node) {
        StringBuilder out = new StringBuilder();
        write(node, out);
        return out.toString();
    }

    /** A whole content block or item, without its {@code cache_control}. */
    static String writeBlock(JsonNode block) {
        if (!block.isObject()) {
            return write(block);
        }
        StringBuilder out = new StringBuilder();
        writeObject(block, out, CACHE_CONTROL);
        return out.toString();
    }

    private static void write(JsonNode node, StringBuilder out) {
        if (node.isObject()) {
            writeObject(node, out, null);
        } else if (node.isArray()) {
            out.append('[');
            for (int i = 0; i < node.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                write(node.get(i), out);
            }
            out.append(']');
        } else {
            out.append(node);
        }
    }

    private static void writeObject(JsonNode node, StringBuilder out, String skippedKey) {
        List<Map.Entry<String, JsonNode>> fields = new ArrayList<>(node.properties());
        fields.sort(Map.Entry.comparingByKey());
        out.append('{');
        boolean first = true;
        for (Map.Entry<String, JsonNode> field : fields) {
            if (field.getKey().equals(skippedKey)) {
                continue;
            }
            if (!first) {
                out.append(',');
            }
            first = false;
            out.append('"').append(field.getKey().replace("\\", "\\\\").replace("\"", "\\\"")).append("\":");
            write(field.getValue(), out);
        }
        out.append('}');
    }
}
