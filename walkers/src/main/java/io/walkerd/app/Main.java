package io.walkerd.app;

import io.walkerd.server.Config;
import io.walkerd.server.WalkerdServer;

/** Starts walkerd with every walker and plugin on the class path, configured from the environment. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        WalkerdServer server = WalkerdServer.start(Config.fromEnvironment());
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "walkerd-shutdown"));
    }
}
