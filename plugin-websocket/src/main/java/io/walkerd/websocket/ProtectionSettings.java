package io.walkerd.websocket;

import io.walkerd.server.Config;
import io.walkerd.server.InsecureSettings;

import java.util.Locale;
import java.util.Set;

/**
 * The websocket plugin's protections against hostile clients, read once from the server's {@link Config} and
 * documented with their defaults in the README's limits table. The defaults keep jac-cloud's open behaviour where a
 * jac-cloud client relies on it ({@code SOCKET_CLIENT_EVENTS=open}, any Origin); every protection left off is
 * named in the server's start-up warning.
 *
 * @param clientEvents          who may send {@code user}, {@code channel} and {@code client} events
 * @param privatePrefix         channels whose id starts with this need the application's approval; null: none are private
 * @param eventsPerSecond       events ({@code user}, {@code channel}, {@code client}, {@code walker}) one connection
 *                              may send per second, twice that in a burst; 0: unlimited
 * @param maxTargets            ids one {@code user}/{@code channel}/{@code client} event may name; 0: unlimited
 * @param maxConnectionsPerIp   open connections from one client address; 0: unlimited
 * @param maxConnectionsPerUser open connections of one user (authenticated users only); 0: unlimited
 * @param allowedOrigins        Origins a browser may open a socket from (normalised); null: any
 */
record ProtectionSettings(ClientEvents clientEvents, String privatePrefix, int eventsPerSecond, int maxTargets,
                          int maxConnectionsPerIp, int maxConnectionsPerUser, Set<String> allowedOrigins) {

    /** {@code SOCKET_CLIENT_EVENTS}: {@code open}, {@code authenticated} or {@code off}. */
    enum ClientEvents {
        /** Any connection may send them (jac-cloud). */
        OPEN,
        /** Only connections with a user; public ones get an error frame. */
        AUTHENTICATED,
        /** No client may: only walkers notify. */
        OFF;

        String setting() { return "SOCKET_CLIENT_EVENTS=" + name().toLowerCase(Locale.ROOT); }
    }

    static final String NO_PRIVATE_CHANNELS = "none";

    ProtectionSettings {
        allowedOrigins = allowedOrigins == null ? null : Set.copyOf(allowedOrigins); // fixed once checked
    }

    static ProtectionSettings from(Config c, InsecureSettings insecure) {
        String events = c.get("SOCKET_CLIENT_EVENTS", "open").toUpperCase(Locale.ROOT);
        ClientEvents clientEvents;
        try {
            clientEvents = ClientEvents.valueOf(events);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("SOCKET_CLIENT_EVENTS must be open, authenticated or off, got '" + c.get("SOCKET_CLIENT_EVENTS") + "'");
        }
        String prefix = c.get("SOCKET_PRIVATE_PREFIX", "private:");
        if (prefix.equalsIgnoreCase(NO_PRIVATE_CHANNELS)) prefix = null;
        String origins = c.get("SOCKET_ALLOWED_ORIGINS");
        ProtectionSettings s = new ProtectionSettings(clientEvents, prefix,
                c.getInt("SOCKET_EVENTS_PER_SECOND", 50),
                c.getInt("SOCKET_MAX_TARGETS", 100),
                c.getInt("SOCKET_MAX_CONNECTIONS_PER_IP", 1000),
                c.getInt("SOCKET_MAX_CONNECTIONS_PER_USER", 100),
                origins == null ? null : OriginCheck.parse(origins));
        s.check();
        s.reportInsecure(insecure);
        return s;
    }

    private void check() {
        if (eventsPerSecond < 0) throw new IllegalArgumentException("SOCKET_EVENTS_PER_SECOND must not be negative (0 turns the limit off)");
        if (maxTargets < 0) throw new IllegalArgumentException("SOCKET_MAX_TARGETS must not be negative (0 turns the limit off)");
        if (maxConnectionsPerIp < 0) throw new IllegalArgumentException("SOCKET_MAX_CONNECTIONS_PER_IP must not be negative (0 turns the limit off)");
        if (maxConnectionsPerUser < 0) throw new IllegalArgumentException("SOCKET_MAX_CONNECTIONS_PER_USER must not be negative (0 turns the limit off)");
        if (allowedOrigins != null && allowedOrigins.isEmpty()) throw new IllegalArgumentException("SOCKET_ALLOWED_ORIGINS names no origin");
    }

    private void reportInsecure(InsecureSettings insecure) {
        if (clientEvents == ClientEvents.OPEN) {
            insecure.add(clientEvents.setting(), "any connection, with no token, may send user, channel and client events to any id it knows");
        }
        if (allowedOrigins == null) insecure.add("SOCKET_ALLOWED_ORIGINS unset", "a page of any site may open a socket to this server");
        if (privatePrefix == null) insecure.add("SOCKET_PRIVATE_PREFIX=" + NO_PRIVATE_CHANNELS, "every channel may be joined by anyone who knows its id");
        if (eventsPerSecond == 0) insecure.add("SOCKET_EVENTS_PER_SECOND=0", "a connection may send events as fast as it can");
        if (maxTargets == 0) insecure.add("SOCKET_MAX_TARGETS=0", "one event may name any number of targets");
        if (maxConnectionsPerIp == 0) insecure.add("SOCKET_MAX_CONNECTIONS_PER_IP=0", "one address may open any number of sockets");
        if (maxConnectionsPerUser == 0) insecure.add("SOCKET_MAX_CONNECTIONS_PER_USER=0", "one user may open any number of sockets");
    }
}
