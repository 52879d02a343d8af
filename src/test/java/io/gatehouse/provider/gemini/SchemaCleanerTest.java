package io.gatehouse.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.pipeline.GatewayException;
import io.gatehouse.pipeline.Json;
import io.gatehouse.provider.gemini.SchemaCleaner.Dialect;
import io.gatehouse.provider.translate.UnsupportedFeature;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SchemaCleanerTest {

    @Test
    void keywordsGeminiRejectsAreDroppedAndTheShapeKept() {
        JsonNode cleaned = parameters("""
                {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
                 "additionalProperties": false, "$comment": "generated",
                 "properties": {
                   "city": {"type": "string", "description": "City name", "default": "Paris",
                            "examples": ["Paris"], "minLength": 1, "not": {"const": ""}},
                   "days": {"type": "integer", "minimum": 1, "maximum": 14, "exclusiveMaximum": 15,
                            "multipleOf": 1, "format": "int32"},
                   "tags": {"type": "array", "items": {"type": "string"}, "uniqueItems": true, "maxItems": 5}
                 },
                 "required": ["city"]}""");

        assertThat(cleaned).isEqualTo(json("""
                {"type": "object",
                 "properties": {
                   "city": {"type": "string", "description": "City name", "minLength": 1},
                   "days": {"type": "integer", "minimum": 1, "maximum": 14, "format": "int32"},
                   "tags": {"type": "array", "items": {"type": "string"}, "maxItems": 5}
                 },
                 "required": ["city"]}"""));
    }

    @Test
    void referencesAreInlinedFromDefsAndDefinitions() {
        JsonNode cleaned = parameters("""
                {"type": "object",
                 "properties": {
                   "home": {"$ref": "#/$defs/Address", "description": "Where they live"},
                   "work": {"$ref": "#/definitions/Address"}
                 },
                 "$defs": {"Address": {"type": "object", "properties": {"street": {"type": "string"}},
                                       "required": ["street"], "additionalProperties": false}},
                 "definitions": {"Address": {"type": "object", "properties": {"zip": {"type": "string"}}}}}""");

        assertThat(cleaned).isEqualTo(json("""
                {"type": "object",
                 "properties": {
                   "home": {"type": "object", "properties": {"street": {"type": "string"}},
                            "required": ["street"], "description": "Where they live"},
                   "work": {"type": "object", "properties": {"zip": {"type": "string"}}}
                 }}"""));
    }

    @Test
    void aReferenceUsedTwiceIsInlinedTwiceButARecursiveOneIsRefused() {
        JsonNode twice = parameters("""
                {"type": "object", "properties": {"a": {"$ref": "#/$defs/N"}, "b": {"$ref": "#/$defs/N"}},
                 "$defs": {"N": {"type": "number"}}}""");
        assertThat(twice.at("/properties/b")).isEqualTo(json("{\"type\": \"number\"}"));

        assertThatThrownBy(() -> parameters("""
                {"type": "object", "properties": {"root": {"$ref": "#/$defs/Node"}},
                 "$defs": {"Node": {"type": "object", "properties": {"children": {"type": "array",
                          "items": {"$ref": "#/$defs/Node"}}}}}}"""))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.error().status()).isEqualTo(400);
                    assertThat(e.error().code()).isEqualTo(UnsupportedFeature.CODE);
                    assertThat(e.error().message()).contains("tool parameters", "recursive", "#/$defs/Node");
                });
        assertThatThrownBy(() -> parameters("{\"type\": \"object\", \"properties\": {\"self\": {\"$ref\": \"#\"}}}"))
                .isInstanceOfSatisfying(GatewayException.class,
                        e -> assertThat(e.error().message()).contains("recursive"));
    }

    @Test
    void externalAndDanglingReferencesAreRefused() {
        assertThatThrownBy(() -> parameters("{\"$ref\": \"https://example.com/schema.json\"}"))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.error().code()).isEqualTo(UnsupportedFeature.CODE);
                    assertThat(e.error().message()).contains("external schema 'https://example.com/schema.json'");
                });
        assertThatThrownBy(() -> parameters("{\"type\": \"object\", \"properties\": {\"a\": {\"$ref\": \"#/$defs/X\"}}}"))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.error().code()).isEqualTo("invalid_request");
                    assertThat(e.error().message()).isEqualTo("tool parameters: '/properties/a/$ref' refers to "
                            + "'#/$defs/X', which is not in the schema");
                });
    }

    @Test
    void nullableTypesBecomeGeminisNullableFlag() {
        JsonNode cleaned = parameters("""
                {"type": "object", "properties": {
                   "a": {"type": ["string", "null"]},
                   "b": {"anyOf": [{"type": "integer"}, {"type": "null"}], "description": "maybe a number"},
                   "c": {"type": "string", "enum": ["x", "y", null]},
                   "d": {"type": ["string", "integer"]}
                 }}""");

        assertThat(cleaned.get("properties")).isEqualTo(json("""
                {"a": {"type": "string", "nullable": true},
                 "b": {"description": "maybe a number", "nullable": true, "type": "integer"},
                 "c": {"type": "string", "enum": ["x", "y"], "nullable": true},
                 "d": {"anyOf": [{"type": "string"}, {"type": "integer"}]}}"""));
    }

    @Test
    void oneOfBecomesAnyOfAndAllOfIsMerged() {
        JsonNode cleaned = parameters("""
                {"type": "object", "properties": {
                   "shape": {"oneOf": [
                      {"type": "object", "properties": {"radius": {"type": "number"}}, "required": ["radius"]},
                      {"type": "object", "properties": {"side": {"type": "number"}}}]},
                   "named": {"allOf": [
                      {"type": "object", "properties": {"name": {"type": "string"}}, "required": ["name"]},
                      {"properties": {"age": {"type": "integer"}}, "required": ["age", "ghost"]}]}
                 }}""");

        assertThat(cleaned.get("properties")).isEqualTo(json("""
                {"shape": {"anyOf": [
                   {"type": "object", "properties": {"radius": {"type": "number"}}, "required": ["radius"]},
                   {"type": "object", "properties": {"side": {"type": "number"}}}]},
                 "named": {"type": "object", "properties": {"name": {"type": "string"}, "age": {"type": "integer"}},
                           "required": ["name", "age"]}}"""));
    }

    @Test
    void constAndEnumValuesBecomeStringsAndUnsupportedFormatsGo() {
        JsonNode cleaned = parameters("""
                {"type": "object", "properties": {
                   "kind": {"const": "circle"},
                   "level": {"type": "integer", "enum": [1, 2, 3]},
                   "email": {"type": "string", "format": "email"},
                   "when": {"type": "string", "format": "date-time"}
                 }}""");

        assertThat(cleaned.get("properties")).isEqualTo(json("""
                {"kind": {"enum": ["circle"]},
                 "level": {"type": "integer", "enum": ["1", "2", "3"]},
                 "email": {"type": "string"},
                 "when": {"type": "string", "format": "date-time"}}"""));
    }

    @Test
    void objectsGetTheirTypeRequiredKeepsOnlyTheirPropertiesAndEmptyPropertiesGo() {
        JsonNode cleaned = parameters("""
                {"properties": {
                   "options": {"type": "object", "properties": {}, "required": ["verbose"]},
                   "items": {"type": "array", "items": {"properties": {"id": {"type": "string"}},
                                                        "required": ["id", "name"]}},
                   "any": true
                 },
                 "required": ["options", "missing"]}""");

        assertThat(cleaned).isEqualTo(json("""
                {"type": "object",
                 "properties": {
                   "options": {"type": "object"},
                   "items": {"type": "array", "items": {"type": "object", "properties": {"id": {"type": "string"}},
                                                        "required": ["id"]}},
                   "any": {}
                 },
                 "required": ["options"]}"""));
    }

    @Test
    void responseSchemasKeepWhatResponseJsonSchemaTakes() {
        JsonNode cleaned = SchemaCleaner.clean(json("""
                {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": "Answer",
                 "type": "object", "additionalProperties": false,
                 "properties": {
                   "score": {"type": ["number", "null"], "minimum": 0, "default": 0},
                   "label": {"oneOf": [{"const": "good"}, {"const": "bad"}]},
                   "pair": {"type": "array", "prefixItems": [{"type": "string"}, {"type": "integer"}]},
                   "meta": {"$ref": "#/$defs/Meta"},
                   "email": {"type": "string", "format": "email", "pattern": "@"}
                 },
                 "required": ["score", "label"],
                 "$defs": {"Meta": {"type": "object", "additionalProperties": {"type": "string"}}}}"""),
                Dialect.RESPONSE_JSON_SCHEMA, "response_format schema");

        assertThat(cleaned).isEqualTo(json("""
                {"title": "Answer", "type": "object", "additionalProperties": false,
                 "properties": {
                   "score": {"type": ["number", "null"], "minimum": 0},
                   "label": {"oneOf": [{"enum": ["good"]}, {"enum": ["bad"]}]},
                   "pair": {"type": "array", "prefixItems": [{"type": "string"}, {"type": "integer"}]},
                   "meta": {"type": "object", "additionalProperties": {"type": "string"}},
                   "email": {"type": "string", "format": "email"}
                 },
                 "required": ["score", "label"]}"""));
    }

    @Test
    void malformedSchemasAreInvalidRequestsNamingTheSpot() {
        assertThatThrownBy(() -> parameters("{\"type\": \"object\", \"properties\": [\"a\"]}"))
                .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.error().message())
                        .isEqualTo("tool parameters: '/properties' must be an object of schemas"));
        assertThatThrownBy(() -> parameters("{\"type\": \"object\", \"properties\": {\"a\": 7}}"))
                .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.error().message())
                        .isEqualTo("tool parameters: '/properties/a' must be a JSON schema object"));
        assertThatThrownBy(() -> parameters("{\"anyOf\": {\"type\": \"string\"}}"))
                .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.error().message())
                        .isEqualTo("tool parameters: '/anyOf' must be an array"));
        assertThatThrownBy(() -> parameters("{\"type\": [1]}"))
                .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.error().status()).isEqualTo(400));
        assertThatThrownBy(() -> parameters("{\"type\": \"object\", \"required\": \"a\"}"))
                .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.error().code())
                        .isEqualTo("invalid_request"));
        assertThatThrownBy(() -> parameters("\"object\""))
                .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.error().message())
                        .isEqualTo("tool parameters: '/' must be a JSON schema object"));
    }

    @Test
    void theInputIsLeftAsItWas() {
        JsonNode schema = json("{\"type\": \"object\", \"properties\": {\"a\": {\"$ref\": \"#/$defs/A\"}},"
                + " \"$defs\": {\"A\": {\"type\": \"string\", \"default\": \"x\"}}}");
        JsonNode before = schema.deepCopy();

        parameters(schema.toString());

        assertThat(schema).isEqualTo(before);
    }

    private static JsonNode parameters(String schema) {
        return SchemaCleaner.clean(json(schema), Dialect.FUNCTION_PARAMETERS, "tool parameters");
    }

    private static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
