package io.gatehouse.provider.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.pipeline.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

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
