package io.gatehouse.provider.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.pipeline.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Comparator;

import static org.assertj.core.api.Assertions.assertThat;

/** The fixtures under {@code src/test/resources/golden/translate/bedrock/}. */
final class Golden {
    private static final String FOLDER = "/golden/translate/bedrock/";

    private Golden() {
    }

    static JsonNode json(String name) {
        try {
            return Json.MAPPER.readTree(bytes(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Semantic JSON equality, where numbers are equal by value whatever their Java type (a long read back from a
     * record, an int parsed from a file); shows both documents when they differ.
     */
    static void assertJsonEquals(JsonNode actual, JsonNode expected) {
        assertThat(actual.equals(SAME_NUMBER, expected))
                .as("expected:%n%s%nbut was:%n%s", expected.toPrettyString(), actual.toPrettyString())
                .isTrue();
    }

    private static final Comparator<JsonNode> SAME_NUMBER = (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue());
        }
        return a.equals(b) ? 0 : 1;
    };

    static byte[] bytes(String name) {
        try (InputStream in = Golden.class.getResourceAsStream(FOLDER + name)) {
            if (in == null) {
                throw new IllegalArgumentException("No fixture " + FOLDER + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
