package io.gatehouse.limit;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.Locale;

/**
 * A calendar window in UTC. Counters are keyed by the window's start, so each window starts from zero: a window
 * ends at its calendar boundary however much was spent in it (unlike SLLMP's budgets, whose expiry slid with
 * every spend and so never reset under steady traffic).
 */
public enum Window {
    MINUTE, HOUR, DAY,
    /** ISO week: Monday 00:00 to the next Monday 00:00. */
    WEEK,
    /** Calendar month, 28 to 31 days. */
    MONTH;

    private final String label = name().toLowerCase(Locale.ROOT);

    /** The start of the window {@code instant} falls in. */
    public Instant start(Instant instant) {
        long seconds = instant.getEpochSecond();
        return switch (this) {
            // UTC has no leap seconds in epoch time, so fixed windows are plain arithmetic (this runs on every call).
            case MINUTE -> Instant.ofEpochSecond(Math.floorDiv(seconds, 60) * 60);
            case HOUR -> Instant.ofEpochSecond(Math.floorDiv(seconds, 3600) * 3600);
            case DAY -> Instant.ofEpochSecond(Math.floorDiv(seconds, 86_400) * 86_400);
            case WEEK -> instant.atZone(ZoneOffset.UTC).truncatedTo(ChronoUnit.DAYS)
                    .with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).toInstant();
            case MONTH -> instant.atZone(ZoneOffset.UTC).truncatedTo(ChronoUnit.DAYS).withDayOfMonth(1).toInstant();
        };
    }

    /** The end (exclusive) of the window that starts at {@code start}: the start of the next one. */
    public Instant end(Instant start) {
        return switch (this) {
            case MINUTE -> start.plusSeconds(60);
            case HOUR -> start.plusSeconds(3600);
            case DAY -> start.plusSeconds(86_400);
            case WEEK -> start.plusSeconds(7 * 86_400);
            case MONTH -> start.atZone(ZoneOffset.UTC).plusMonths(1).toInstant();
        };
    }

    /**
     * How long a counter is kept after its window ended, so that calls still running at the boundary (a long stream)
     * can settle their reservation in the window they were counted in.
     */
    Duration settleMargin() {
        return this == MINUTE ? Duration.ofMinutes(2) : Duration.ofHours(1);
    }

    /** The word used in keys, messages and config. */
    public String label() {
        return label;
    }

    /**
     * A window as config writes it: {@code minute}, {@code hour}, {@code day}, {@code week}, {@code month}, or SLLMP's
     * {@code 1h}, {@code 1d}, {@code 7d}, {@code 30d}, which name the same calendar windows (7d is the ISO week, 30d
     * the calendar month).
     */
    public static Window parse(String text) {
        return switch (text) {
            case "minute" -> MINUTE;
            case "hour", "1h" -> HOUR;
            case "day", "1d" -> DAY;
            case "week", "7d" -> WEEK;
            case "month", "30d" -> MONTH;
            default -> throw new IllegalArgumentException("unknown window \"" + text + "\"");
        };
    }
}
