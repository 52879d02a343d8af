package io.gatehouse.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The commented example configuration that {@code gatehouse generate-config} writes. */
public final class ExampleConfig {
    public static final String RESOURCE = "/io/gatehouse/config/gatehouse.example.yaml";

    private ExampleConfig() {
    }

    public static String yaml() {
        try (InputStream in = ExampleConfig.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCE);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
