package io.walkerd.spi;

import io.javalin.config.JavalinConfig;

import java.util.Set;

/**
 * A server extension found with {@link java.util.ServiceLoader}. A plugin may add routes, claim walker methods
 * that are not HTTP methods (the websocket plugin claims {@code "websocket"}), provide services that walker code
 * reaches through {@code context().service(...)}, and take part in start and stop.
 */
public interface Plugin {

    String name();

    /**
     * Jackson modules for this server's JSON (stored node fields, walker input, responses), registered after the
     * built-in ones ({@code java.time}, {@code Optional}). Asked once, before {@link #configure}.
     */
    default java.util.List<com.fasterxml.jackson.databind.Module> jsonModules() { return java.util.List.of(); }

    /** Walker methods this plugin serves; the runtime serves the HTTP ones and warns about unclaimed others. */
    default Set<String> walkerMethods() { return Set.of(); }

    /** Called once while the server is configured, before it starts: add routes and provide services here. */
    void configure(JavalinConfig javalin, PluginContext context);

    /** Called after the server listens. */
    default void started() {}

    /**
     * Called when the server begins to stop, before it stops listening: refuse new work, finish running work
     * within {@code graceMillis}, release connections.
     */
    default void stopping(long graceMillis) {}

    /** Called after the server stopped; release what the plugin holds. */
    default void stopped() {}
}
