package io.gatehouse.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.pipeline.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The golden files under {@code src/test/resources/golden/translate/gemini/}: Gemini's wire shapes, byte for byte. */
final class GeminiGoldens {
    private static final String DIRECTORY = "golden/translate/gemini/";

    private GeminiGoldens() {
    }

    static byte[] bytes(String name) {
        try (InputStream in = GeminiGoldens.class.getClassLoader().getResourceAsStream(DIRECTORY + name)) {
            if (in == null) {
                throw new IllegalArgumentException("No golden file " + DIRECTORY + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode json(String name) {
        try {
            return Json.MAPPER.readTree(bytes(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
