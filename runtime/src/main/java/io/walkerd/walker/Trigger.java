package io.walkerd.walker;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * When a scheduled walker runs: the trigger times of its {@link Schedule}. Every instance computes the same times
 * from the annotation alone (an interval counts from its start, not from when a server started), so that the
 * instances can agree on who runs each one.
 */
interface Trigger {
    /** The first trigger time after {@code after}, or null when there is none. */
    Instant next(Instant after);

    /** @throws IllegalArgumentException saying what is wrong with the schedule */
    static Trigger of(Schedule s) {
        return switch (s.trigger()) {
            case CRON -> {
                if (s.cron().isBlank()) throw new IllegalArgumentException("a CRON schedule needs cron = \"...\"");
                CronExpression cron = new CronExpression(s.cron());
                yield cron::next;
            }
            case INTERVAL -> {
                Duration every = duration(s.interval());
                if (every.isZero() || every.isNegative()) throw new IllegalArgumentException("an interval must be positive");
                Instant start = s.start().isBlank() ? Instant.EPOCH : instant(s.start(), "start");
                long period = every.toMillis();
                yield after -> {
                    long since = after.toEpochMilli() - start.toEpochMilli();
                    if (since < 0) return start;
                    return start.plusMillis((since / period + 1) * period);
                };
            }
            case DATE -> {
                Instant at = instant(s.date(), "date");
                yield after -> at.isAfter(after) ? at : null;
            }
        };
    }

    private static Duration duration(String text) {
        if (text.isBlank()) throw new IllegalArgumentException("an INTERVAL schedule needs interval = \"PT...\"");
        try {
            return Duration.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("interval '" + text + "' is not an ISO-8601 duration (PT5S, PT1H, P1D)");
        }
    }

    private static Instant instant(String text, String what) {
        if (text.isBlank()) throw new IllegalArgumentException("a DATE schedule needs date = \"...\"");
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(what + " '" + text + "' is not an ISO-8601 instant (2030-04-30T11:12:00Z)");
        }
    }
}
