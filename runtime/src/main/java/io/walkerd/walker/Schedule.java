package io.walkerd.walker;

import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs a walker on a schedule: {@code @Specs(isPrivate = true, schedule = @Schedule(trigger = CRON, cron = "* * * * * *"))}.
 * Every server instance that shares a store knows the schedule, and each trigger runs once across all of them (the
 * instance that takes the trigger's lease in the store runs it). Scheduled walkers run as the super root, on
 * {@link #node()} or the super root; times are UTC.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({})
public @interface Schedule {
    enum Trigger {
        /** At the times {@link #cron()} matches. */
        CRON,
        /** Every {@link #interval()}, counted from {@link #start()} (default: the epoch), so every instance agrees. */
        INTERVAL,
        /** Once, at {@link #date()}. */
        DATE
    }

    Trigger trigger();

    /**
     * For {@link Trigger#CRON}: six fields, {@code second minute hour day-of-month month day-of-week}, each {@code *},
     * a number, a range {@code a-b}, a step {@code * /n} or {@code a-b/n}, or a list of those ({@code 1,5,10-12});
     * months and days of the week also by name ({@code JAN}, {@code MON}; Sunday is 0 or 7).
     */
    String cron() default "";

    /** For {@link Trigger#INTERVAL}: an ISO-8601 duration, e.g. {@code PT5S}, {@code PT1H}, {@code P1D}. */
    String interval() default "";

    /** For {@link Trigger#INTERVAL}: the first trigger (ISO-8601 instant); default: the epoch. */
    String start() default "";

    /** For {@link Trigger#DATE}: when (ISO-8601 instant, e.g. {@code 2030-04-30T11:12:00Z}). */
    String date() default "";

    /** Values of the walker's input fields in their declared order, each as text or JSON (as query values are read). */
    String[] args() default {};

    /** Named input values, {@code name=value}, each value as text or JSON. */
    String[] kwargs() default {};

    /** Keep each run's walker document (its input and {@code schedule}: status, http_status, reports, error). */
    boolean save() default false;

    /** Ref id of the node to run on; default: the super root. */
    String node() default "";
}
