package io.walkerd.app;

import io.walkerd.auth.AdminAccess;
import io.walkerd.server.Config;
import io.walkerd.server.WalkerdServer;
import io.walkerd.store.Store;
import io.walkerd.store.Stores;
import io.walkerd.store.Transfer;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * Starts walkerd with every walker and plugin on the class path, configured from the environment; or, with
 * {@code export FILE} / {@code import FILE}, moves every collection of the configured store to or from a file of
 * JSON lines (how a deployment moves between the embedded store and MongoDB); with {@code grant-admin EMAIL} /
 * {@code revoke-admin EMAIL}, marks a registered user as admin of the admin page, or no longer.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        Config config = Config.fromEnvironment();
        if (args.length > 0) System.exit(command(args, config, System.out, System.err));
        WalkerdServer server = WalkerdServer.start(config);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "walkerd-shutdown"));
    }

    /** Runs a command line other than "start the server"; returns the process's exit code. */
    static int command(String[] args, Config config, PrintStream out, PrintStream err) {
        String verb = args[0];
        if ((verb.equals("export") || verb.equals("import")) && args.length == 2) {
            Path file = Path.of(args[1]);
            try (Store store = Stores.open(config)) {
                Map<String, Long> counts = verb.equals("export") ? Transfer.exportTo(store, file) : Transfer.importFrom(file, store);
                out.println((verb.equals("export") ? "exported " : "imported ") + counts + (verb.equals("export") ? " to " : " from ")
                        + file + " (" + store.backend() + " store)");
                return 0;
            } catch (IOException | RuntimeException e) {
                err.println(verb + " failed: " + e.getMessage());
                return 1;
            }
        }
        if ((verb.equals("grant-admin") || verb.equals("revoke-admin")) && args.length == 2) {
            boolean grant = verb.equals("grant-admin");
            try (Store store = Stores.open(config)) {
                if (!AdminAccess.mark(store, args[1], grant)) {
                    err.println(verb + " failed: no user is registered with the email " + args[1]);
                    return 1;
                }
                out.println(args[1] + (grant ? " is now an admin" : " is no longer an admin") + " (" + store.backend() + " store)");
                return 0;
            } catch (RuntimeException e) {
                err.println(verb + " failed: " + e.getMessage());
                return 1;
            }
        }
        err.println("""
                usage: java -jar walkerd.jar                     start the server (settings from the environment)
                       java -jar walkerd.jar export FILE         write every collection of the store to FILE (JSON lines)
                       java -jar walkerd.jar import FILE         read FILE into the store (documents with the same id are replaced)
                       java -jar walkerd.jar grant-admin EMAIL   let the registered user with this email use the admin page
                       java -jar walkerd.jar revoke-admin EMAIL  take that right back
                The store is the one the environment names: DATABASE_HOST for MongoDB, else the SQLite file DATABASE_PATH.""");
        return 2;
    }
}
