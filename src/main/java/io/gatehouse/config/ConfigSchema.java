package io.gatehouse.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.NonValidationKeyword;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Set;

/** The configuration's JSON Schema ({@code gatehouse.schema.json}) and what the loader reads from it. */
public final class ConfigSchema {
    public static final String RESOURCE = "/io/gatehouse/config/gatehouse.schema.json";
    /** Gatehouse's own annotation: the wording of a failed keyword, see the schema's description. */
    static final String ERROR_MESSAGE = "errorMessage";

    private static final ConfigSchema INSTANCE = new ConfigSchema();

    private final JsonNode document;
    private final JsonSchema validator;

    private ConfigSchema() {
        document = read();
        JsonMetaSchema metaSchema = JsonMetaSchema.builder(JsonMetaSchema.getV202012())
                .keyword(new NonValidationKeyword(ERROR_MESSAGE))
                .build();
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
                builder -> builder.metaSchema(metaSchema));
        validator = factory.getSchema(document, SchemaValidatorsConfig.builder().pathType(PathType.JSON_POINTER).build());
    }

    public static ConfigSchema get() {
        return INSTANCE;
    }

    /** The schema as JSON, for reading descriptions, allowed keys and enums. */
    public JsonNode document() {
        return document;
    }

    Set<ValidationMessage> validate(JsonNode tree) {
        return validator.validate(tree);
    }

    /** The schema node a validation message's schema location points at. */
    JsonNode at(JsonNodePath fragment) {
        JsonNode node = document;
        for (int i = 0; i < fragment.getNameCount(); i++) {
            Object element = fragment.getElement(i);
            node = element instanceof Integer index ? node.path(index) : node.path((String) element);
        }
        return node;
    }

    /**
     * True when the schema declares {@code path} a string (possibly nullable): such values stay text after
     * variable expansion. Follows {@code properties}, {@code items} and local {@code $ref}s only, which is all
     * this schema uses on the way to a typed key.
     */
    public boolean isTextKey(ConfigPath path) {
        JsonNode node = resolve(document);
        for (Object element : path.elements()) {
            node = resolve(element instanceof Integer ? node.path("items") : node.path("properties").path((String) element));
            if (node.isMissingNode()) {
                return false;
            }
        }
        JsonNode type = node.path("type");
        if (type.isTextual()) {
            return type.textValue().equals("string");
        }
        boolean text = false;
        for (JsonNode each : type) {
            if (each.textValue().equals("string")) {
                text = true;
            } else if (!each.textValue().equals("null")) {
                return false;
            }
        }
        return text;
    }

    /** Follows a local {@code $ref} ({@code #/$defs/x}); sibling keywords are not needed by the callers. */
    private JsonNode resolve(JsonNode node) {
        while (node.has("$ref") && !node.has("type")) {
            node = document.at(node.get("$ref").textValue().substring(1));
        }
        return node;
    }

    private static JsonNode read() {
        try (InputStream in = ConfigSchema.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCE);
            }
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
