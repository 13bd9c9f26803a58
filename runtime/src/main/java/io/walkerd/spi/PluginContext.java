package io.walkerd.spi;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.walkerd.auth.Principal;
import io.walkerd.auth.TokenService;
import io.walkerd.graph.Access;
import io.walkerd.server.Config;
import io.walkerd.walker.WalkerRegistry;
import io.walkerd.walker.WalkerRunner;

/** What the runtime offers a plugin. */
public interface PluginContext {
    Config config();

    WalkerRegistry walkers();

    /** Runs walkers exactly as the REST routes do. */
    WalkerRunner runner();

    /** Runs any walker (private ones included) as a given user on a given node, now or as a task. */
    io.walkerd.walker.Walkers walkersService();

    /** Checks bearer tokens. */
    TokenService tokens();

    /** The JSON mapper of responses (writes nodes as {@code {"id","context"}}). */
    ObjectMapper json();

    /** Makes {@code service} reachable from walker code via {@code context().service(type)}. */
    <T> void provide(Class<T> type, T service);

    /** A name for this server instance, unique across instances (used in logs and to tag published messages). */
    String instanceId();

    /** Adds a listener told of every successful commit that changed nodes (see {@link CommitListener}). */
    void onCommit(CommitListener listener);

    /**
     * The level {@code principal} has on the node {@code nodeRefId} as stored now; {@link Access#NO_ACCESS} when
     * the node does not exist or the id is not a node's.
     */
    Access accessTo(Principal principal, String nodeRefId);

    /** Where a plugin notes the protections it runs without; the server names them all in one start-up warning. */
    io.walkerd.server.InsecureSettings insecureSettings();

    /** The application's authoriser of private channels, if it ships one. */
    java.util.Optional<ChannelAuthorizer> channelAuthorizer();

    /** Who may use admin pages: {@code ADMIN_TOKEN}, or the token of a user marked admin. */
    io.walkerd.auth.AdminAccess adminAccess();

    /** This server's meters (see {@link io.walkerd.metrics.Metrics}); plugins register theirs here. */
    io.walkerd.metrics.Metrics metrics();
}
