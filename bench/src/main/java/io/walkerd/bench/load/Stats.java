package io.walkerd.bench.load;

import org.HdrHistogram.Histogram;

/**
 * Counts and times deliveries, only while the measurement window is open. Used on the loop thread alone. Latencies
 * are kept in microseconds up to 60 s; a later one is recorded as 60 s.
 */
final class Stats {
    private static final long MAX_MICROS = 60_000_000L;
    private final Histogram latency = new Histogram(MAX_MICROS, 3);
    private boolean measuring;
    private long openedAt;
    private long closedAt;
    long messages;
    long errors;
    String firstError;

    void open(long now) {
        latency.reset();
        messages = 0;
        errors = 0;
        firstError = null;
        openedAt = now;
        measuring = true;
    }

    void close(long now) {
        closedAt = now;
        measuring = false;
    }

    boolean measuring() { return measuring; }

    void delivered(long sentNanos, long now) {
        if (!measuring) return;
        messages++;
        long micros = Math.max(0, (now - sentNanos) / 1000);
        latency.recordValue(Math.min(micros, MAX_MICROS));
    }

    /** Records a delivered message by the send stamp it carries; false (and an error) when it carries none. */
    boolean deliveredStamped(io.netty.buffer.ByteBuf text, long now) {
        long t = Wire.stamp(text);
        if (t < 0) {
            error("no timestamp in " + text.toString(java.nio.charset.StandardCharsets.UTF_8));
            return false;
        }
        delivered(t, now);
        return true;
    }

    void error(String what) {
        if (!measuring) return;
        errors++;
        if (firstError == null) firstError = what.length() > 200 ? what.substring(0, 200) + "…" : what;
    }

    Result result(String scenario, String variant, int n, String server) {
        double seconds = (closedAt - openedAt) / 1e9;
        return new Result(scenario, variant, n, server, seconds > 0 ? messages / seconds : 0,
                percentile(50), percentile(99), percentile(99.9), messages, errors,
                firstError == null ? "" : "first error: " + firstError);
    }

    private double percentile(double p) { return latency.getTotalCount() == 0 ? Double.NaN : latency.getValueAtPercentile(p) / 1000.0; }
}
