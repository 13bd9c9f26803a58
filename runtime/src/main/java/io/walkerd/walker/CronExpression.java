package io.walkerd.walker;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.Locale;
import java.util.Map;

/**
 * A six-field cron expression, {@code second minute hour day-of-month month day-of-week}, evaluated in UTC. Each
 * field is {@code *}, a number, a range {@code a-b}, a step ({@code *}{@code /n}, {@code a-b/n}, {@code a/n}) or a
 * comma-separated list of those; months and days of the week may be named ({@code JAN}, {@code MON}), Sunday is 0
 * or 7. As in cron, when both day fields are restricted a day matches either.
 */
final class CronExpression {
    private static final Map<String, Integer> MONTHS = Map.ofEntries(Map.entry("JAN", 1), Map.entry("FEB", 2),
            Map.entry("MAR", 3), Map.entry("APR", 4), Map.entry("MAY", 5), Map.entry("JUN", 6), Map.entry("JUL", 7),
            Map.entry("AUG", 8), Map.entry("SEP", 9), Map.entry("OCT", 10), Map.entry("NOV", 11), Map.entry("DEC", 12));
    private static final Map<String, Integer> DAYS = Map.of("SUN", 0, "MON", 1, "TUE", 2, "WED", 3, "THU", 4,
            "FRI", 5, "SAT", 6);

    private final String text;
    private final BitSet seconds;
    private final BitSet minutes;
    private final BitSet hours;
    private final BitSet daysOfMonth;
    private final BitSet months;
    private final BitSet daysOfWeek;
    private final boolean anyDayOfMonth;
    private final boolean anyDayOfWeek;

    /** @throws IllegalArgumentException saying which field is wrong */
    CronExpression(String text) {
        this.text = text;
        String[] f = text.trim().split("\\s+");
        if (f.length != 6) {
            throw new IllegalArgumentException("cron '" + text + "' needs six fields: second minute hour day-of-month month day-of-week");
        }
        seconds = field(f[0], "second", 0, 59, Map.of());
        minutes = field(f[1], "minute", 0, 59, Map.of());
        hours = field(f[2], "hour", 0, 23, Map.of());
        daysOfMonth = field(f[3], "day-of-month", 1, 31, Map.of());
        months = field(f[4], "month", 1, 12, MONTHS);
        BitSet dow = field(f[5], "day-of-week", 0, 7, DAYS);
        if (dow.get(7)) dow.set(0);
        daysOfWeek = dow;
        anyDayOfMonth = f[3].equals("*") || f[3].equals("?");
        anyDayOfWeek = f[5].equals("*") || f[5].equals("?");
    }

    /** The first time after {@code after} (to the second) that matches; null when none does within five years. */
    Instant next(Instant after) {
        ZonedDateTime t = after.atZone(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
        int lastYear = t.getYear() + 5;
        while (t.getYear() <= lastYear) {
            if (!months.get(t.getMonthValue())) {
                t = t.withDayOfMonth(1).truncatedTo(ChronoUnit.DAYS).plusMonths(1);
            } else if (!dayMatches(t)) {
                t = t.truncatedTo(ChronoUnit.DAYS).plusDays(1);
            } else if (!hours.get(t.getHour())) {
                t = t.truncatedTo(ChronoUnit.HOURS).plusHours(1);
            } else if (!minutes.get(t.getMinute())) {
                t = t.truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
            } else if (!seconds.get(t.getSecond())) {
                t = t.plusSeconds(1);
            } else {
                return t.toInstant();
            }
        }
        return null;
    }

    private boolean dayMatches(ZonedDateTime t) {
        boolean dom = daysOfMonth.get(t.getDayOfMonth());
        boolean dow = daysOfWeek.get(t.getDayOfWeek() == DayOfWeek.SUNDAY ? 0 : t.getDayOfWeek().getValue());
        if (anyDayOfMonth) return dow;
        if (anyDayOfWeek) return dom;
        return dom || dow;
    }

    private static BitSet field(String spec, String name, int min, int max, Map<String, Integer> names) {
        BitSet bits = new BitSet(max + 1);
        for (String part : spec.split(",")) {
            if (part.isEmpty()) throw bad(spec, name, "an empty list item");
            int step = 1;
            String range = part;
            int slash = part.indexOf('/');
            if (slash >= 0) {
                step = number(part.substring(slash + 1), spec, name, Map.of());
                if (step < 1) throw bad(spec, name, "a step below 1");
                range = part.substring(0, slash);
            }
            int from;
            int to;
            if (range.equals("*") || range.equals("?")) {
                from = min;
                to = max;
            } else if (range.contains("-")) {
                String[] ends = range.split("-", 2);
                from = number(ends[0], spec, name, names);
                to = number(ends[1], spec, name, names);
            } else {
                from = number(range, spec, name, names);
                to = slash >= 0 ? max : from;
            }
            if (from < min || to > max || from > to) throw bad(spec, name, "values outside " + min + "-" + max);
            for (int v = from; v <= to; v += step) bits.set(v);
        }
        return bits;
    }

    private static int number(String s, String spec, String name, Map<String, Integer> names) {
        Integer named = names.get(s.toUpperCase(Locale.ROOT));
        if (named != null) return named;
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw bad(spec, name, "'" + s + "', which is not a number");
        }
    }

    private static IllegalArgumentException bad(String spec, String name, String what) {
        return new IllegalArgumentException("cron field " + name + " '" + spec + "' has " + what);
    }

    @Override
    public String toString() { return text; }
}
