package io.walkerd.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.walkerd.testing.Http;
import io.walkerd.testing.ServerMain;
import io.walkerd.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A call that was answered is durable: the server runs as a child process on an embedded store file, eight
 * clients write concurrently, the process is killed with SIGKILL in the middle, and after a restart every answered
 * write is there and the graph is consistent (the counter equals the nodes and the edges).
 */
class CrashTest {
    @TempDir
    Path dir;

    /** A child server on {@code file}; returns the process once it listens, and its port through {@code port}. */
    private static Process launch(Path file, int[] port) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ServerMain.class.getName());
        pb.environment().putAll(Map.of("HOST", "127.0.0.1", "PORT", "0", "DATABASE_PATH", file.toString(),
                "TOKEN_SECRET", TestServer.SECRET));
        pb.redirectErrorStream(true);
        Process p = pb.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        CountDownLatch listening = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            try {
                for (String line; (line = out.readLine()) != null; ) {
                    if (line.startsWith("walkerd-port ")) {
                        port[0] = Integer.parseInt(line.substring(13).trim());
                        listening.countDown();
                    }
                }
            } catch (IOException ignored) {
                // the process was killed
            }
        });
        reader.setDaemon(true);
        reader.start();
        if (!listening.await(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("the child server did not start");
        }
        return p;
    }

    @Test
    void everyAnsweredWriteSurvivesAKillDashNine() throws Exception {
        Path file = dir.resolve("walkerd.db");
        int[] port = new int[1];
        Process child = launch(file, port);
        Http http = new Http("http://127.0.0.1:" + port[0]);
        String token = http.newToken();
        assertThat(http.post("/walker/make_doc", Map.of(), token).status()).isEqualTo(200);

        ConcurrentLinkedQueue<String> answered = new ConcurrentLinkedQueue<>();
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch enough = new CountDownLatch(60);
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < 8; w++) {
            Thread t = new Thread(() -> {
                while (!stop.get()) {
                    try {
                        var r = http.post("/walker/counted_write", Map.of(), token);
                        if (r.status() == 200) {
                            answered.add(r.reports().get(0).get("id").asText());
                            enough.countDown();
                        }
                    } catch (IllegalStateException connectionLost) {
                        return;
                    }
                }
            });
            t.start();
            writers.add(t);
        }
        assertThat(enough.await(120, TimeUnit.SECONDS)).as("writes go through before the kill").isTrue();
        child.destroyForcibly(); // SIGKILL: no shutdown hook, no close, in the middle of the writers' calls
        child.waitFor();
        stop.set(true);
        for (Thread t : writers) t.join(30_000);

        Process again = launch(file, port);
        try {
            Http after = new Http("http://127.0.0.1:" + port[0]);
            var counted = after.post("/walker/count_items", Map.of(), token);
            assertThat(counted.status()).isEqualTo(200);
            long counter = counted.reports().get(0).asLong();
            Set<String> items = new HashSet<>();
            for (JsonNode id : counted.reports().get(1)) items.add(id.asText());
            long owned = after.post("/walker/count_owned", Map.of(), token).reports().get(0).asLong();

            assertThat(items).as("every answered write is there").containsAll(answered);
            assertThat(items).as("one item per counted write").hasSize((int) counter);
            assertThat(owned).as("root, counter doc, its edge, then one item and one edge per write").isEqualTo(3 + 2 * counter);
        } finally {
            again.destroyForcibly();
            again.waitFor();
        }
    }
}
