package io.gatehouse.provider.translate;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The shape the answer must take.
 *
 * @param name   the schema's name, for {@link Kind#JSON_SCHEMA}
 * @param schema the JSON schema, for {@link Kind#JSON_SCHEMA}
 * @param strict whether the schema is strict, or null
 */
public record ResponseFormat(Kind kind, String name, JsonNode schema, Boolean strict) {
    public enum Kind {
        TEXT,
        JSON_OBJECT,
        JSON_SCHEMA
    }
}
