package io.walkerd.websocket;

import io.walkerd.auth.Principal;
import io.walkerd.auth.TokenService;
import io.walkerd.server.ClientAddress;

/**
 * What an upgrade to {@code /websocket} must pass before a socket exists, so that a refusal is a plain HTTP answer:
 * the page's Origin ({@link OriginCheck}, 403), room for one more socket from the client's address and user
 * ({@link ConnectionLimits}, 429), and the right to join the {@code ?channel_id=} channel ({@link ChannelGate}, 403).
 * The token of the {@code Authorization} header is checked here only when the answer depends on the user (a
 * private channel, or a per-user limit); the connection checks it again once open, as it always does.
 */
final class UpgradeChecks {
    private final OriginCheck origins;
    private final ClientAddress addresses;
    private final ConnectionLimits limits;
    private final ChannelGate channels;
    private final TokenService tokens;

    UpgradeChecks(OriginCheck origins, ClientAddress addresses, ConnectionLimits limits, ChannelGate channels, TokenService tokens) {
        this.origins = origins;
        this.addresses = addresses;
        this.limits = limits;
        this.channels = channels;
        this.tokens = tokens;
    }

    /**
     * Refuses the upgrade with 403 or 429 by throwing {@link UpgradeRequest.Refused}.
     *
     * @return the client's address (the peer's, or the one trusted proxies forwarded)
     */
    String check(UpgradeRequest r) {
        if (!origins.allows(r.origin())) {
            throw new UpgradeRequest.Refused(403, "This origin may not open a websocket here (SOCKET_ALLOWED_ORIGINS)");
        }
        String address = addresses.of(r.peer(), r.forwardedFor());
        String full = limits.fullFor(address, null);
        if (full != null) throw new UpgradeRequest.Refused(429, full);
        String channel = r.channelId();
        if (limits.limitsUsers() || channels.isPrivate(channel)) {
            Principal principal = r.principal(tokens);
            if (channel != null && !channel.isEmpty() && !channels.mayJoin(principal, channel)) {
                throw new UpgradeRequest.Refused(403, channels.refusal(channel, true));
            }
            full = limits.fullFor(address, principal);
            if (full != null) throw new UpgradeRequest.Refused(429, full);
        }
        return address;
    }

    /**
     * Takes the new connection's slot for its address; when another upgrade took the last one since {@link #check},
     * closes it (1008) and answers false.
     */
    boolean admit(Client c, String address) {
        if (limits.take(c, address)) return true;
        c.close(SocketMetrics.Disconnect.CONNECTION_LIMIT, CloseCodes.POLICY, "too many connections from your address (SOCKET_MAX_CONNECTIONS_PER_IP)");
        return false;
    }

    /** The connection ended. */
    void released(Client c) { limits.release(c); }
}
