package io.walkerd.websocket;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/** A redis-server process of the test's own, on a free port, that the test may kill and start again. */
final class PrivateRedis implements AutoCloseable {
    final int port;
    private Process process;
    /** Where a persistent Redis keeps its append-only file, so that it comes back with its data; null: none. */
    private Path dir;

    private PrivateRedis() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
    }

    static PrivateRedis started() throws IOException {
        PrivateRedis r = new PrivateRedis();
        r.start();
        return r;
    }

    /** A Redis that writes every command to disk and reads it back when started again, as a restarted server does. */
    static PrivateRedis startedPersistent() throws IOException {
        PrivateRedis r = new PrivateRedis();
        r.dir = Files.createTempDirectory("walkerd-redis");
        r.start();
        return r;
    }

    /** A free port where nothing listens yet; {@link #start()} starts Redis there. */
    static PrivateRedis notStarted() throws IOException { return new PrivateRedis(); }

    String url() { return "redis://127.0.0.1:" + port; }

    void start() throws IOException {
        List<String> command = new ArrayList<>(List.of("redis-server", "--port", String.valueOf(port),
                "--bind", "127.0.0.1", "--save", ""));
        if (dir == null) command.addAll(List.of("--appendonly", "no"));
        else command.addAll(List.of("--appendonly", "yes", "--appendfsync", "always", "--dir", dir.toString()));
        process = new ProcessBuilder(command)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(this::answersPing);
    }

    /** Kills the server at once, as a crash or a network cut would. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    private boolean answersPing() {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(1000);
            OutputStream out = s.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] b = new byte[5];
            int n = in.readNBytes(b, 0, 5);
            return n == 5 && new String(b, StandardCharsets.US_ASCII).equals("+PONG");
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() throws InterruptedException, IOException {
        if (process != null && process.isAlive()) kill();
        if (dir != null) {
            try (var files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            }
        }
    }
}
