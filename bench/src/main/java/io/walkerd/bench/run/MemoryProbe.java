package io.walkerd.bench.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Heap in use after a full collection, and resident set size, of a running server. A JVM is asked through
 * {@code jcmd} (GC.run, then GC.heap_info); a Node peer through its {@code /stats} route, which calls
 * {@code global.gc()} first.
 */
final class MemoryProbe {
    record Snapshot(long heapBytes, long rssBytes) {}

    private static final Pattern USED = Pattern.compile("used (\\d+)K");
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final ObjectMapper json = new ObjectMapper();

    Snapshot measure(Servers.Running server) {
        if (server.jvm()) {
            jcmd(server.pid(), "GC.run");
            String info = jcmd(server.pid(), "GC.heap_info");
            Matcher m = USED.matcher(info);
            long heap = m.find() ? Long.parseLong(m.group(1)) * 1024 : -1;
            return new Snapshot(heap, rss(server.pid()));
        }
        try {
            var res = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.endpoint().port() + "/stats")).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode stats = json.readTree(res.body());
            // a Node peer's connections live in the V8 heap and in Buffers outside it; both count
            return new Snapshot(stats.get("heap_used").asLong() + stats.get("external").asLong(), rss(server.pid()));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + server.name() + "'s /stats: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    static long rss(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the RSS of " + pid + ": " + e.getMessage(), e);
        }
        return -1;
    }

    static String jcmd(long pid, String... command) {
        try {
            String[] cmd = new String[command.length + 2];
            cmd[0] = "jcmd";
            cmd[1] = Long.toString(pid);
            System.arraycopy(command, 0, cmd, 2, command.length);
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS)) p.destroyForcibly();
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("jcmd failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
