package io.gatehouse.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** Prints JSON objects as a plain text table: one row per object, the chosen fields as columns. */
final class Table {
    private Table() {
    }

    static void print(PrintWriter out, List<String> fields, Iterable<JsonNode> rows) {
        List<List<String>> cells = new ArrayList<>();
        cells.add(fields.stream().map(String::toUpperCase).toList());
        for (JsonNode row : rows) {
            cells.add(fields.stream().map(field -> text(row.get(field))).toList());
        }
        int[] widths = new int[fields.size()];
        for (List<String> line : cells) {
            for (int i = 0; i < line.size(); i++) {
                widths[i] = Math.max(widths[i], line.get(i).length());
            }
        }
        for (List<String> line : cells) {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < line.size(); i++) {
                text.append(i == line.size() - 1 ? line.get(i) : String.format("%-" + widths[i] + "s  ", line.get(i)));
            }
            out.println(text.toString().stripTrailing());
        }
        out.flush();
    }

    /** One object as {@code field: value} lines. */
    static void printObject(PrintWriter out, JsonNode object) {
        int width = 0;
        for (var names = object.fieldNames(); names.hasNext(); ) {
            width = Math.max(width, names.next().length());
        }
        int pad = width + 1;
        object.properties().forEach(field -> out.println(String.format("%-" + pad + "s %s", field.getKey() + ":", text(field.getValue()))));
        out.flush();
    }

    private static String text(JsonNode value) {
        if (value == null || value.isNull()) {
            return "-";
        }
        if (value.isValueNode()) {
            return value.asText();
        }
        if (value.isArray()) {
            List<String> items = new ArrayList<>();
            value.forEach(item -> items.add(text(item)));
            return String.join(",", items);
        }
        List<String> pairs = new ArrayList<>();
        value.properties().forEach(field -> pairs.add(field.getKey() + "=" + text(field.getValue())));
        return String.join(",", pairs);
    }
}
