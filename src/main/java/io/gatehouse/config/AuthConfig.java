package io.gatehouse.config;

import java.util.Locale;

/**
 * How clients authenticate to the proxy. The management API's token is not here: it comes from the
 * {@code MANAGEMENT_TOKEN} environment variable only, so it never sits in a file or shows in {@code /config}.
 *
 * @param mode {@code none} (anyone who reaches the port may call) or {@code virtual_keys} (a gateway key per client)
 */
public record AuthConfig(String mode) {
    public enum Mode { NONE, VIRTUAL_KEYS }

    public AuthConfig {
        mode = mode == null ? "none" : mode;
    }

    public Mode parsedMode() {
        return Mode.valueOf(mode.toUpperCase(Locale.ROOT));
    }
}
