package io.walkerd.walker;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Trigger times of cron, interval and date schedules. */
class CronExpressionTest {
    private static Instant t(String iso) { return Instant.parse(iso); }

    @Test
    void everySecondIsTheNextWholeSecond() {
        assertThat(new CronExpression("* * * * * *").next(t("2024-01-01T00:00:00.400Z"))).isEqualTo(t("2024-01-01T00:00:01Z"));
    }

    @Test
    void stepsRangesListsAndNames() {
        CronExpression c = new CronExpression("0 */15 9-17 * JAN,mar MON-FRI");
        assertThat(c.next(t("2024-01-05T17:50:00Z"))).as("Friday evening to Monday morning").isEqualTo(t("2024-01-08T09:00:00Z"));
        assertThat(c.next(t("2024-01-08T09:00:00Z"))).isEqualTo(t("2024-01-08T09:15:00Z"));
        assertThat(c.next(t("2024-01-31T17:45:00Z"))).as("February is skipped").isEqualTo(t("2024-03-01T09:00:00Z"));
    }

    @Test
    void bothDayFieldsRestrictedMatchEither() {
        CronExpression c = new CronExpression("0 0 0 13 * 5");
        assertThat(c.next(t("2024-09-01T00:00:00Z"))).as("first Friday").isEqualTo(t("2024-09-06T00:00:00Z"));
        assertThat(c.next(t("2024-09-12T00:00:00Z"))).as("the 13th").isEqualTo(t("2024-09-13T00:00:00Z"));
    }

    @Test
    void sundayIsZeroOrSevenAndADayThatNeverComesGivesNull() {
        assertThat(new CronExpression("0 0 12 * * 7").next(t("2024-06-03T00:00:00Z"))).isEqualTo(t("2024-06-09T12:00:00Z"));
        assertThat(new CronExpression("0 0 0 30 2 *").next(t("2024-01-01T00:00:00Z"))).isNull();
    }

    @Test
    void aBadFieldIsNamed() {
        assertThatThrownBy(() -> new CronExpression("* * * *")).hasMessageContaining("six fields");
        assertThatThrownBy(() -> new CronExpression("61 * * * * *")).hasMessageContaining("second");
        assertThatThrownBy(() -> new CronExpression("* * * * * FUNDAY")).hasMessageContaining("day-of-week");
    }

    @Specs(schedule = @Schedule(trigger = Schedule.Trigger.INTERVAL, interval = "PT10S"))
    private static final class Interval {}

    @Specs(schedule = @Schedule(trigger = Schedule.Trigger.INTERVAL, interval = "PT1H", start = "2024-01-01T00:30:00Z"))
    private static final class HourlyAtHalfPast {}

    @Specs(schedule = @Schedule(trigger = Schedule.Trigger.DATE, date = "2030-04-30T11:12:00Z"))
    private static final class Once {}

    private static Trigger trigger(Class<?> c) { return Trigger.of(c.getAnnotation(Specs.class).schedule()[0]); }

    @Test
    void intervalsCountFromTheirStartSoThatEveryInstanceAgrees() {
        assertThat(trigger(Interval.class).next(t("2024-01-01T00:00:03Z"))).isEqualTo(t("2024-01-01T00:00:10Z"));
        assertThat(trigger(Interval.class).next(t("2024-01-01T00:00:10Z"))).isEqualTo(t("2024-01-01T00:00:20Z"));
        assertThat(trigger(HourlyAtHalfPast.class).next(t("2024-05-05T10:31:00Z"))).isEqualTo(t("2024-05-05T11:30:00Z"));
        assertThat(trigger(HourlyAtHalfPast.class).next(t("2023-01-01T00:00:00Z"))).isEqualTo(t("2024-01-01T00:30:00Z"));
    }

    @Test
    void aDateRunsOnceWhileItIsAhead() {
        assertThat(trigger(Once.class).next(t("2030-01-01T00:00:00Z"))).isEqualTo(t("2030-04-30T11:12:00Z"));
        assertThat(trigger(Once.class).next(t("2030-04-30T11:12:00Z"))).isNull();
    }
}
