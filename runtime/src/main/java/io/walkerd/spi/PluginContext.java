package io.walkerd.spi;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.walkerd.auth.TokenService;
import io.walkerd.server.Config;
import io.walkerd.walker.WalkerRegistry;
import io.walkerd.walker.WalkerRunner;

/** What the runtime offers a plugin. */
public interface PluginContext {
    Config config();

    WalkerRegistry walkers();

    /** Runs walkers exactly as the REST routes do. */
    WalkerRunner runner();

    /** Checks bearer tokens. */
    TokenService tokens();

    /** The JSON mapper of responses (writes nodes as {@code {"id","context"}}). */
    ObjectMapper json();

    /** Makes {@code service} reachable from walker code via {@code context().service(type)}. */
    <T> void provide(Class<T> type, T service);

    /** A name for this server instance, unique across instances (used in logs and to tag published messages). */
    String instanceId();
}
