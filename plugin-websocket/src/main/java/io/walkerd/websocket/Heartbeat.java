package io.walkerd.websocket;

import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;
import org.eclipse.jetty.websocket.core.WebSocketConnection;
import org.eclipse.jetty.websocket.core.WebSocketCoreSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Collection;
import java.util.function.Supplier;

/**
 * Pings every connection at a fixed interval, which keeps idle connections alive through proxies, and drops the
 * ones that sent nothing, not even a pong, for two intervals: a peer that vanished without closing its TCP
 * connection would otherwise hold its place until the kernel gives up on it, many minutes later.
 *
 * <p>It runs {@value #SLICES} times per interval and each run takes one slice of the connections (by client id), so
 * that every connection is pinged once per interval but never all of them at once: a round of 10,000 pings and
 * their pongs at one instant stalled the fan-out that shared the cores with it (p99 of a fixed-rate fan-out to 1,000
 * members 76-94 ms with pings, 17-25 ms without).
 *
 * <p>"Heard from" is read from Jetty's count of incoming frames on the connection (pongs included), so that nothing
 * is written per frame to know it.
 */
final class Heartbeat implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(Heartbeat.class);

    /** Runs per interval, each pinging one slice of the connections. */
    static final int SLICES = 10;

    private final Supplier<Collection<Client>> clients;
    private final long silenceLimitNanos;
    private boolean warnedNoCounter;
    private int tick;

    Heartbeat(Supplier<Collection<Client>> clients, Duration interval) {
        this.clients = clients;
        this.silenceLimitNanos = interval.multipliedBy(2).toNanos();
    }

    @Override
    public void run() {
        try {
            beat();
        } catch (RuntimeException e) {
            // an exception would cancel the schedule: every later beat would be lost
            log.error("heartbeat failed", e);
        }
    }

    private void beat() {
        long now = System.nanoTime();
        int slice = tick;
        tick = (tick + 1) % SLICES;
        for (Client c : clients.get()) {
            if (Math.floorMod(c.id().hashCode(), SLICES) != slice) continue;
            try {
                if (silentTooLong(c, now)) {
                    c.abort(SocketMetrics.Disconnect.DEAD_PEER, "no frame, not even a pong, for " + Duration.ofNanos(now - c.lastHeardNanos).toMillis() + " ms");
                    continue;
                }
                c.session().sendFrame(new Frame(OpCode.PING), Callback.NOOP, false);
            } catch (RuntimeException e) {
                log.warn("heartbeat of client {} failed", c.id(), e);
            }
        }
    }

    private boolean silentTooLong(Client c, long now) {
        long framesIn = framesIn(c.session());
        if (framesIn < 0) {
            if (!warnedNoCounter) log.warn("cannot read incoming frame counts from Jetty; dead connections are left to the idle timeout");
            warnedNoCounter = true;
            return false;
        }
        if (framesIn != c.lastFramesIn) {
            c.lastFramesIn = framesIn;
            c.lastHeardNanos = now;
            return false;
        }
        return now - c.lastHeardNanos > silenceLimitNanos;
    }

    /** Frames received on the connection so far, or -1 when Jetty does not tell. */
    static long framesIn(CoreSession session) {
        if (session instanceof WebSocketCoreSession core) {
            WebSocketConnection connection = core.getConnection();
            if (connection != null) return connection.getMessagesIn();
        }
        return -1;
    }
}
