package io.walkerd.websocket;

import io.walkerd.server.ClientAddress;
import io.walkerd.spi.PluginContext;

/**
 * The plugin's defences against hostile clients, wired from {@link ProtectionSettings}: what an upgrade must pass,
 * how many events a connection may send, which relay events it may send, and who may join or publish to a channel.
 * The endpoint and the event handler call out to these and hold no security logic of their own.
 */
final class Protections {
    final ProtectionSettings settings;
    final ChannelGate channels;
    final ClientEventPolicy clientEvents;
    final EventRateLimiter rates;
    final ConnectionLimits limits;
    final UpgradeChecks upgrades;

    private Protections(ProtectionSettings settings, ChannelGate channels, ClientEventPolicy clientEvents, EventRateLimiter rates,
                        ConnectionLimits limits, UpgradeChecks upgrades) {
        this.settings = settings;
        this.channels = channels;
        this.clientEvents = clientEvents;
        this.rates = rates;
        this.limits = limits;
        this.upgrades = upgrades;
    }

    static Protections from(PluginContext ctx) {
        ProtectionSettings s = ProtectionSettings.from(ctx.config(), ctx.insecureSettings());
        ChannelGate channels = new ChannelGate(s.privatePrefix(), ctx);
        ConnectionLimits limits = new ConnectionLimits(s.maxConnectionsPerIp(), s.maxConnectionsPerUser());
        UpgradeChecks upgrades = new UpgradeChecks(new OriginCheck(s.allowedOrigins()), ClientAddress.from(ctx.config()), limits,
                channels, ctx.tokens());
        return new Protections(s, channels, new ClientEventPolicy(s.clientEvents(), s.maxTargets(), channels),
                new EventRateLimiter(s.eventsPerSecond()), limits, upgrades);
    }

    /** A connection ended: whatever was counted for it is let go. */
    void ended(Client c) {
        rates.forget(c);
        upgrades.released(c);
    }
}
