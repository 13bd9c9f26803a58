package io.walkerd.bench.run;

import io.walkerd.bench.load.Connector.Endpoint;
import io.walkerd.bench.load.Wire;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Starts the measured servers as child processes (walkerd, bare Javalin, the Node peers) and stops them. */
final class Servers {
    /** A started server: its process, where it listens, and whether it is a JVM (for the memory probe). */
    record Running(String name, Process process, Endpoint endpoint, boolean jvm, Path log) implements AutoCloseable {
        long pid() { return process.pid(); }

        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(15, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private final Path benchJar;
    private final Path peers;
    private final Path logs;
    private final List<String> jvmOptions;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();

    Servers(Path benchJar, Path peers, Path logs, List<String> jvmOptions) {
        this.benchJar = benchJar;
        this.peers = peers;
        this.logs = logs;
        this.jvmOptions = jvmOptions;
    }

    Running walkerd(String name, int port, Map<String, String> env) {
        List<String> cmd = new ArrayList<>(List.of(java()));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-jar", benchJar.toString(), "serve-walkerd"));
        return start(name, cmd, port, Wire.WALKERD, true, env);
    }

    /** A walkerd application jar other than the bench's (the example application, for the {@code graph} rows). */
    Running application(String name, Path jar, int port, Map<String, String> env) {
        List<String> cmd = new ArrayList<>(List.of(java()));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-jar", jar.toString()));
        return start(name, cmd, port, Wire.WALKERD, true, env);
    }

    Running javalin(String name, int port) {
        List<String> cmd = new ArrayList<>(List.of(java()));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-jar", benchJar.toString(), "serve-javalin"));
        return start(name, cmd, port, Wire.WALKERD, true, Map.of());
    }

    Running node(String name, String script, Wire wire, int port, Map<String, String> env) {
        return start(name, List.of("node", "--expose-gc", peers.resolve(script).toString()), port, wire, false, env);
    }

    private Running start(String name, List<String> cmd, int port, Wire wire, boolean jvm, Map<String, String> env) {
        try (java.net.ServerSocket probe = new java.net.ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
            probe.setReuseAddress(true);
        } catch (IOException e) {
            throw new IllegalStateException("port " + port + " is taken (another bench still running?); cannot start " + name);
        }
        try {
            Files.createDirectories(logs);
            Path log = logs.resolve(name.replaceAll("[^A-Za-z0-9_.-]", "_") + "-" + port + ".log");
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().put("PORT", Integer.toString(port));
            pb.environment().put("HOST", "127.0.0.1");
            pb.environment().putAll(env);
            Process p = pb.start();
            Running r = new Running(name, p, new Endpoint(name, wire, "127.0.0.1", port), jvm, log);
            waitHealthy(r);
            return r;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + name + ": " + e.getMessage(), e);
        }
    }

    private void waitHealthy(Running r) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        URI health = URI.create("http://127.0.0.1:" + r.endpoint().port() + "/healthz");
        while (System.nanoTime() < deadline) {
            if (!r.process().isAlive()) throw new IllegalStateException(r.name() + " exited at start; log " + r.log() + ":\n" + tail(r.log()));
            try {
                var res = http.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (res.statusCode() == 200) return;
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        r.close();
        throw new IllegalStateException(r.name() + " was not healthy after 90 s; log " + r.log() + ":\n" + tail(r.log()));
    }

    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }
}
