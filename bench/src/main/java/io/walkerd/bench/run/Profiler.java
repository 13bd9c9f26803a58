package io.walkerd.bench.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * With {@code --profile}: one JFR recording of a walkerd process per scenario run (started and stopped through
 * {@code jcmd}), and next to it the hot-method summary of {@link JfrSummary}.
 */
final class Profiler {
    private final Servers.Running server;
    private final Path dir;

    Profiler(Servers.Running server, Path dir) {
        this.server = server;
        this.dir = dir;
    }

    void start(String name) {
        MemoryProbe.jcmd(server.pid(), "JFR.start", "name=" + name, "settings=profile");
    }

    void stop(String name) {
        try {
            Files.createDirectories(dir);
            Path jfr = dir.resolve(name + ".jfr").toAbsolutePath();
            MemoryProbe.jcmd(server.pid(), "JFR.stop", "name=" + name, "filename=" + jfr);
            Files.writeString(dir.resolve(name + ".txt"), JfrSummary.summarize(jfr, 25));
        } catch (IOException | RuntimeException e) {
            System.out.println("profile " + name + " failed: " + e.getMessage());
        }
    }
}
