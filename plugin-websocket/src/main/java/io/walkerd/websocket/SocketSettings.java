package io.walkerd.websocket;

import io.walkerd.server.Config;

import java.time.Duration;

/**
 * The websocket plugin's settings, read once from the server's {@link Config}. Every limit here is documented
 * with its default in the plugin's README.
 *
 * @param redisHost         Redis for cross-instance delivery ({@code SOCKET_REDIS_HOST}); null: this instance only
 * @param redisPrefix       prefix of every Redis channel name, so that several deployments (or test runs) can
 *                          share one Redis
 * @param maxQueueMessages  outbound messages a connection may have waiting before it is closed as not reading
 * @param maxQueueBytes     outbound bytes (UTF-8) a connection may have waiting before it is closed as not reading
 * @param maxFrameBytes     largest incoming text message; larger ones close the connection with 1009
 * @param maxPendingEvents  received events of one connection waiting to be processed before it is closed
 * @param ping              interval of server pings; zero disables pings and dead-peer detection
 * @param idleTimeout       a connection with no traffic at all for this long is closed by Jetty
 * @param closeTimeout      how long a close handshake may take before the socket is dropped
 * @param workers           threads that process events (walker runs block on MongoDB)
 * @param maxChannels       channels one connection may be in (protocol 2's {@code join}), the one it connected to included
 * @param historySize       messages each channel keeps for recovery; 0: no history (no offsets, epochs or recovery)
 * @param historyTtl        how long a channel's message is kept
 * @param historyMetaTtl    how long a channel's epoch and last offset outlive its last message or join
 * @param presenceTtl       how long a presence entry in Redis lives unless its instance refreshes it
 * @param joinLeave         whether channel members get {@code presence_join} / {@code presence_leave} events
 * @param lanes             threads that write channel messages to local members, each to its own share of the
 *                          connections ({@link Fanout})
 */
record SocketSettings(String redisHost, String redisPrefix, int maxQueueMessages, long maxQueueBytes, int maxFrameBytes,
                      int maxPendingEvents, Duration ping, Duration idleTimeout, Duration closeTimeout, int workers,
                      int maxChannels, int historySize, Duration historyTtl, Duration historyMetaTtl, Duration presenceTtl,
                      boolean joinLeave, int lanes) {

    static SocketSettings from(Config c) {
        SocketSettings s = new SocketSettings(
                c.get("SOCKET_REDIS_HOST"),
                c.get("SOCKET_REDIS_PREFIX", "walkerd:ws:"),
                c.getInt("SOCKET_MAX_QUEUE_MESSAGES", 1000),
                c.getLong("SOCKET_MAX_QUEUE_BYTES", 4L * 1024 * 1024),
                c.getInt("SOCKET_MAX_FRAME_BYTES", 64 * 1024),
                c.getInt("SOCKET_MAX_PENDING_EVENTS", 100),
                seconds(c, "SOCKET_PING_SECONDS", "25"),
                Duration.ofSeconds(c.getLong("SOCKET_IDLE_SECONDS", 120)),
                Duration.ofMillis(c.getLong("SOCKET_CLOSE_TIMEOUT_MS", 3000)),
                c.getInt("SOCKET_WORKERS", 32),
                c.getInt("SOCKET_MAX_CHANNELS", 128),
                c.getInt("SOCKET_HISTORY_SIZE", 100),
                seconds(c, "SOCKET_HISTORY_TTL_SECONDS", "300"),
                seconds(c, "SOCKET_HISTORY_META_TTL_SECONDS", "86400"),
                seconds(c, "SOCKET_PRESENCE_TTL_SECONDS", "60"),
                c.getBoolean("SOCKET_JOIN_LEAVE", false),
                // one: on the 2-core bench machine, where the load generator takes a core, two lanes were slower in
                // every fan-out row (bench/README.md); more are for machines with cores to spare
                c.getInt("SOCKET_LANES", 1));
        s.check();
        return s;
    }

    /** Fractions allowed, so that tests can ping every half second. */
    private static Duration seconds(Config c, String name, String fallback) {
        String v = c.get(name, fallback);
        try {
            return Duration.ofMillis(Math.round(Double.parseDouble(v) * 1000));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number of seconds, got '" + v + "'");
        }
    }

    /** Whether channels keep history (offsets, epochs, recovery). */
    boolean keepsHistory() { return historySize > 0 && !historyTtl.isZero(); }

    private void check() {
        if (maxQueueMessages < 1) throw new IllegalArgumentException("SOCKET_MAX_QUEUE_MESSAGES must be at least 1");
        if (maxQueueBytes < 1) throw new IllegalArgumentException("SOCKET_MAX_QUEUE_BYTES must be at least 1");
        if (maxFrameBytes < 256) throw new IllegalArgumentException("SOCKET_MAX_FRAME_BYTES must be at least 256");
        if (maxPendingEvents < 1) throw new IllegalArgumentException("SOCKET_MAX_PENDING_EVENTS must be at least 1");
        if (ping.isNegative()) throw new IllegalArgumentException("SOCKET_PING_SECONDS must not be negative");
        if (idleTimeout.isNegative() || idleTimeout.isZero()) throw new IllegalArgumentException("SOCKET_IDLE_SECONDS must be positive");
        if (workers < 1) throw new IllegalArgumentException("SOCKET_WORKERS must be at least 1");
        if (maxChannels < 1) throw new IllegalArgumentException("SOCKET_MAX_CHANNELS must be at least 1");
        if (historySize < 0) throw new IllegalArgumentException("SOCKET_HISTORY_SIZE must not be negative (0 turns history off)");
        if (historyTtl.isNegative()) throw new IllegalArgumentException("SOCKET_HISTORY_TTL_SECONDS must not be negative (0 turns history off)");
        if (historyMetaTtl.compareTo(historyTtl) < 0) throw new IllegalArgumentException("SOCKET_HISTORY_META_TTL_SECONDS must be at least SOCKET_HISTORY_TTL_SECONDS");
        if (lanes < 1 || lanes > 64) throw new IllegalArgumentException("SOCKET_LANES must be between 1 and 64");
        if (presenceTtl.toMillis() < 1000) throw new IllegalArgumentException("SOCKET_PRESENCE_TTL_SECONDS must be at least 1");
    }
}
