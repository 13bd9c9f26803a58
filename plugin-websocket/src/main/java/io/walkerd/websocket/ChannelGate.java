package io.walkerd.websocket;

import io.walkerd.auth.Principal;
import io.walkerd.http.ErrorReplies;
import io.walkerd.spi.ChannelAuthorizer;
import io.walkerd.spi.PluginContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/**
 * Who may join a channel, or publish to it. A channel whose id starts with {@code SOCKET_PRIVATE_PREFIX} is
 * private: the application's {@link ChannelAuthorizer} decides, and without one every private channel is refused.
 * Every other channel is open to all, as in jac-cloud. Asked on every join (the {@code ?channel_id=} of an upgrade)
 * and on every {@code channel} event; walkers' notifications are the server's own and are not asked about.
 */
final class ChannelGate {
    private static final Logger log = LoggerFactory.getLogger(ChannelGate.class);

    private final String privatePrefix;
    private final PluginContext server;
    private final Optional<ChannelAuthorizer> authorizer;

    /** @param privatePrefix the prefix of private channel ids; null when no channel is private */
    ChannelGate(String privatePrefix, PluginContext server) {
        this.privatePrefix = privatePrefix;
        this.server = server;
        this.authorizer = server.channelAuthorizer();
    }

    boolean isPrivate(String channelId) { return privatePrefix != null && channelId != null && channelId.startsWith(privatePrefix); }

    /** Whether {@code principal} may be a member of {@code channelId}. */
    boolean mayJoin(Principal principal, String channelId) {
        if (!isPrivate(channelId)) return true;
        return ask(principal, channelId, true);
    }

    /** Whether {@code principal} may send a {@code channel} event to {@code channelId}. */
    boolean mayPublish(Principal principal, String channelId) {
        if (!isPrivate(channelId)) return true;
        return ask(principal, channelId, false);
    }

    /** Why a private channel was refused, for the refusal's message. */
    String refusal(String channelId, boolean join) {
        return "channel " + channelId + " is private (its id starts with " + privatePrefix + "): "
                + (authorizer.isEmpty() ? "this server approves no private channel" : "the application does not let this connection "
                + (join ? "join" : "publish to") + " it");
    }

    private boolean ask(Principal principal, String channelId, boolean join) {
        if (authorizer.isEmpty()) return false;
        try {
            return join ? authorizer.get().mayJoin(server, principal, channelId) : authorizer.get().mayPublish(server, principal, channelId);
        } catch (RuntimeException e) {
            // a failing authoriser refuses: a private channel is never opened by an error
            ErrorReplies.logged(log, "channel authoriser failed on " + channelId + " for " + principal.rootRef(), e);
            return false;
        }
    }
}
