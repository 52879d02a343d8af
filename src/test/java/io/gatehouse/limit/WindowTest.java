package io.gatehouse.limit;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WindowTest {

    private static Instant at(String text) {
        return Instant.parse(text);
    }

    @Test
    void minuteHourAndDayStartAtTheirUtcBoundary() {
        Instant now = at("2026-11-23T10:15:30.250Z");
        assertThat(Window.MINUTE.start(now)).isEqualTo(at("2026-11-23T10:15:00Z"));
        assertThat(Window.HOUR.start(now)).isEqualTo(at("2026-11-23T10:00:00Z"));
        assertThat(Window.DAY.start(now)).isEqualTo(at("2026-11-23T00:00:00Z"));
        assertThat(Window.MINUTE.end(Window.MINUTE.start(now))).isEqualTo(at("2026-11-23T10:16:00Z"));
        assertThat(Window.DAY.end(at("2026-12-31T00:00:00Z"))).isEqualTo(at("2027-01-01T00:00:00Z"));
    }

    @Test
    void aBoundaryInstantBelongsToTheWindowItStarts() {
        assertThat(Window.HOUR.start(at("2026-11-23T11:00:00Z"))).isEqualTo(at("2026-11-23T11:00:00Z"));
        assertThat(Window.HOUR.start(at("2026-11-23T10:59:59.999Z"))).isEqualTo(at("2026-11-23T10:00:00Z"));
    }

    @Test
    void weeksStartOnMonday() {
        // 2026-11-29 is a Sunday, 2026-11-30 a Monday.
        assertThat(Window.WEEK.start(at("2026-11-29T23:59:59Z"))).isEqualTo(at("2026-11-23T00:00:00Z"));
        assertThat(Window.WEEK.start(at("2026-11-30T00:00:00Z"))).isEqualTo(at("2026-11-30T00:00:00Z"));
        assertThat(Window.WEEK.end(at("2026-12-28T00:00:00Z"))).isEqualTo(at("2027-01-04T00:00:00Z"));
    }

    @Test
    void monthsHaveTheirCalendarLength() {
        assertThat(Window.MONTH.start(at("2028-02-29T12:00:00Z"))).isEqualTo(at("2028-02-01T00:00:00Z"));
        assertThat(Window.MONTH.end(at("2028-02-01T00:00:00Z"))).as("leap year").isEqualTo(at("2028-03-01T00:00:00Z"));
        assertThat(Window.MONTH.end(at("2027-02-01T00:00:00Z"))).isEqualTo(at("2027-03-01T00:00:00Z"));
        assertThat(Window.MONTH.end(at("2026-04-01T00:00:00Z"))).isEqualTo(at("2026-05-01T00:00:00Z"));
        assertThat(Window.MONTH.end(at("2026-12-01T00:00:00Z"))).isEqualTo(at("2027-01-01T00:00:00Z"));
        assertThat(Window.MONTH.start(at("2026-12-31T23:59:59Z"))).isEqualTo(at("2026-12-01T00:00:00Z"));
    }

    @Test
    void sllmpSpellingsNameTheSameCalendarWindows() {
        assertThat(Window.parse("1h")).isEqualTo(Window.HOUR);
        assertThat(Window.parse("1d")).isEqualTo(Window.DAY);
        assertThat(Window.parse("7d")).isEqualTo(Window.WEEK);
        assertThat(Window.parse("30d")).isEqualTo(Window.MONTH);
        assertThat(Window.parse("minute")).isEqualTo(Window.MINUTE);
        assertThatThrownBy(() -> Window.parse("2d")).isInstanceOf(IllegalArgumentException.class);
    }
}
