package io.walkerd.testing;

import io.walkerd.server.Config;
import io.walkerd.server.WalkerdServer;

/** A walkerd server as a child process (configured from its environment), for tests that kill it. Prints its port. */
public final class ServerMain {
    private ServerMain() {}

    public static void main(String[] args) {
        WalkerdServer server = WalkerdServer.start(Config.fromEnvironment());
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        System.out.println("walkerd-port " + server.port());
        System.out.flush();
    }
}
