package io.gatehouse.resilience;

import io.vertx.core.MultiMap;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Reads how long an upstream asked to be left alone: {@code retry-after-ms}, or {@code Retry-After} in seconds or as an HTTP date. */
final class RetryAfter {
    private RetryAfter() {
    }

    /** Milliseconds to wait, the longer of the two headers; 0 when neither is present or readable. */
    static long millis(MultiMap headers, Instant now) {
        return Math.max(millisHeader(headers.get("retry-after-ms")), retryAfter(headers.get("retry-after"), now));
    }

    private static long millisHeader(String value) {
        if (value == null) {
            return 0;
        }
        try {
            return Math.max(0, Math.round(Double.parseDouble(value.trim())));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static long retryAfter(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return 0;
        }
        String text = value.trim();
        if (Character.isDigit(text.charAt(0))) {
            try {
                return Math.max(0, Math.round(Double.parseDouble(text) * 1000));
            } catch (NumberFormatException e) {
                return 0;
            }
        }
        try {
            Instant at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            return Math.max(0, at.toEpochMilli() - now.toEpochMilli());
        } catch (DateTimeParseException e) {
            return 0;
        }
    }
}
