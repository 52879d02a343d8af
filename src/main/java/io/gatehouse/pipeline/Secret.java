package io.gatehouse.pipeline;

/**
 * A credential. Its {@code toString} is masked, so it cannot slip into a log line or a JSON dump by
 * accident; the clear value is read only where it is sent.
 */
public final class Secret {
    private final String value;

    private Secret(String value) {
        this.value = value;
    }

    /** Null for a missing or blank value, so "no key" has one representation. */
    public static Secret ofNullable(String value) {
        return value == null || value.isBlank() ? null : new Secret(value);
    }

    public String reveal() {
        return value;
    }

    public String masked() {
        return mask(value);
    }

    /** {@code ****abcd}: enough to tell keys apart, too little to use one. */
    public static String mask(String value) {
        if (value == null || value.isEmpty()) {
            return value;
        }
        return value.length() <= 8 ? "****" : "****" + value.substring(value.length() - 4);
    }

    @Override
    public String toString() {
        return masked();
    }
}
