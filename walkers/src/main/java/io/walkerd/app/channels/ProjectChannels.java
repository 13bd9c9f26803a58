package io.walkerd.app.channels;

import io.walkerd.auth.Principal;
import io.walkerd.graph.Access;
import io.walkerd.spi.ChannelAuthorizer;
import io.walkerd.spi.PluginContext;

/**
 * The example application's private channels: {@code private:project:<project id>} (e.g.
 * {@code private:project:n:Project:672b...}) is a project's own room. Whoever can READ the project (its owner, and
 * users it was shared with through {@code share_graph}) may join it and send to it; nobody else, and no other
 * private channel. Listed in {@code META-INF/services/io.walkerd.spi.ChannelAuthorizer}.
 */
public final class ProjectChannels implements ChannelAuthorizer {
    static final String PROJECT = "project:";
    private static final String PROJECT_ID = "n:Project:";

    @Override
    public boolean mayJoin(PluginContext server, Principal principal, String channelId) {
        String prefix = server.config().get("SOCKET_PRIVATE_PREFIX", "private:") + PROJECT;
        if (!channelId.startsWith(prefix)) return false;
        String project = channelId.substring(prefix.length());
        return project.startsWith(PROJECT_ID) && server.accessTo(principal, project).atLeast(Access.READ);
    }
}
