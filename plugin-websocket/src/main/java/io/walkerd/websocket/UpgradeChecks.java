package io.walkerd.websocket;

import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import io.javalin.http.TooManyRequestsResponse;
import io.javalin.websocket.WsContext;
import io.walkerd.auth.Principal;
import io.walkerd.auth.TokenService;
import io.walkerd.server.ClientAddress;

/**
 * What an upgrade to {@code /websocket} must pass before a socket exists, so that a refusal is a plain HTTP answer:
 * the page's Origin ({@link OriginCheck}, 403), room for one more socket from the client's address and user
 * ({@link ConnectionLimits}, 429), and the right to join the {@code ?channel_id=} channel ({@link ChannelGate}, 403).
 * The user is known here only when it matters (a private channel, or a per-user limit): the token of the
 * {@code Authorization} header is then checked on the upgrade itself, and the connection keeps the result.
 */
final class UpgradeChecks {
    private static final String UPGRADE = "walkerd.websocket.upgrade";

    private final OriginCheck origins;
    private final ClientAddress addresses;
    private final ConnectionLimits limits;
    private final ChannelGate channels;
    private final TokenService tokens;

    /**
     * What an upgrade that passed brings to its connection.
     *
     * @param address   the client address it came from
     * @param principal its user, when the token was checked on the upgrade; null when it is checked later
     */
    record Upgrade(String address, Principal principal) {}

    UpgradeChecks(OriginCheck origins, ClientAddress addresses, ConnectionLimits limits, ChannelGate channels, TokenService tokens) {
        this.origins = origins;
        this.addresses = addresses;
        this.limits = limits;
        this.channels = channels;
        this.tokens = tokens;
    }

    /** Refuses the upgrade with 403 or 429 by throwing; otherwise leaves what it found on the request. */
    void check(Context ctx) {
        if (!origins.allows(ctx.header("Origin"))) {
            throw new ForbiddenResponse("This origin may not open a websocket here (SOCKET_ALLOWED_ORIGINS)");
        }
        String address = addresses.of(ctx);
        String full = limits.fullFor(address, null);
        if (full != null) throw new TooManyRequestsResponse(full);
        String channel = ctx.queryParam("channel_id");
        Principal principal = null;
        if (limits.limitsUsers() || channels.isPrivate(channel)) {
            String authorization = ctx.header("Authorization");
            principal = authorization == null || authorization.isBlank() ? Principal.PUBLIC
                    : tokens.authenticate(authorization).orElse(Principal.PUBLIC);
            if (channel != null && !channel.isEmpty() && !channels.mayJoin(principal, channel)) {
                throw new ForbiddenResponse(channels.refusal(channel, true));
            }
            full = limits.fullFor(address, principal);
            if (full != null) throw new TooManyRequestsResponse(full);
        }
        ctx.attribute(UPGRADE, new Upgrade(address, principal));
    }

    /** What {@link #check} found for this connection's upgrade. */
    static Upgrade of(WsContext ctx) {
        Upgrade u = ctx.attribute(UPGRADE);
        if (u == null) throw new IllegalStateException("a websocket connected without passing the upgrade checks");
        return u;
    }

    /** Takes the connection's slots; false when the last one went to another upgrade meanwhile (the caller closes it). */
    boolean admit(Client c, Upgrade upgrade) { return limits.take(c, upgrade.address()); }

    /** The connection ended. */
    void released(Client c) { limits.release(c); }
}
