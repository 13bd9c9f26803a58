package io.walkerd.websocket;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * {@code SOCKET_EVENTS_PER_SECOND}: each connection may send that many {@code user}, {@code channel}, {@code client}
 * and {@code walker} events per second, with bursts of twice that (a token bucket). An event over the limit is
 * dropped and answered with an error frame. A connection that goes on flooding, more than {@value #FLOOD_FACTOR}
 * times the limit in each of {@value #FLOOD_SECONDS} consecutive seconds (one that keeps sending at ten times the
 * limit is closed within about four seconds), is closed with 1008: answering it would cost more than it is worth.
 */
final class EventRateLimiter {
    static final Set<String> LIMITED = Set.of("user", "channel", "client", "walker");
    /** A second is a flood when its events exceed the limit this many times over. */
    static final int FLOOD_FACTOR = 6;
    /** Consecutive flooding seconds that close the connection. */
    static final int FLOOD_SECONDS = 3;
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    /** What to do with an event. */
    enum Verdict { PASS, DROP, CLOSE }

    private final int perSecond;
    private final Map<Client, Meter> meters = new ConcurrentHashMap<>();

    /** @param perSecond the limit; 0 lets everything pass */
    EventRateLimiter(int perSecond) { this.perSecond = perSecond; }

    int perSecond() { return perSecond; }

    /** Counts an event of {@code type} from {@code c} (on the thread that read it) and says what to do with it. */
    Verdict admit(Client c, String type) {
        if (perSecond == 0 || type == null || !LIMITED.contains(type)) return Verdict.PASS;
        Meter meter = meters.computeIfAbsent(c, k -> new Meter(perSecond, System.nanoTime()));
        if (c.isGone()) meters.remove(c); // a frame read after the close: forget() may have run already
        return meter.admit(System.nanoTime());
    }

    /** The connection ended. */
    void forget(Client c) { meters.remove(c); }

    /** One connection's bucket and flood count; used by the one thread that reads the connection's frames at a time. */
    private static final class Meter {
        private final double capacity;
        private final double perNano;
        private final long floodEvents;
        private double tokens;
        private long at;
        private final long start;
        private long second;
        private long eventsThisSecond;
        private int floodingSeconds;

        Meter(int perSecond, long now) {
            this.capacity = 2.0 * perSecond;
            this.perNano = perSecond / (double) SECOND;
            this.floodEvents = (long) FLOOD_FACTOR * perSecond;
            this.tokens = capacity;
            this.at = now;
            this.start = now;
        }

        synchronized Verdict admit(long now) {
            long s = (now - start) / SECOND;
            if (s != second) {
                boolean previousFlooded = eventsThisSecond > floodEvents;
                floodingSeconds = previousFlooded && s == second + 1 ? floodingSeconds + 1 : 0;
                second = s;
                eventsThisSecond = 0;
            }
            eventsThisSecond++;
            if (eventsThisSecond > floodEvents && floodingSeconds + 1 >= FLOOD_SECONDS) return Verdict.CLOSE;
            tokens = Math.min(capacity, tokens + (now - at) * perNano);
            at = now;
            if (tokens >= 1) {
                tokens -= 1;
                return Verdict.PASS;
            }
            return Verdict.DROP;
        }
    }
}
