package io.walkerd.spi;

import io.walkerd.auth.Principal;

/**
 * The application's word on private channels (ids starting with {@code SOCKET_PRIVATE_PREFIX}): may this caller
 * join, or publish to, this channel? Found with {@link java.util.ServiceLoader}; with none on the class path every
 * private channel is refused. Called on every join and publish, so keep it quick; {@code server} gives access checks
 * on the graph ({@link PluginContext#accessTo}).
 */
public interface ChannelAuthorizer {
    boolean mayJoin(PluginContext server, Principal principal, String channelId);

    default boolean mayPublish(PluginContext server, Principal principal, String channelId) {
        return mayJoin(server, principal, channelId);
    }
}
