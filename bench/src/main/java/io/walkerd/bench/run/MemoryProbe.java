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

    /** Live objects by class ({@code jcmd GC.class_histogram}, which collects first): instances and bytes. */
    static java.util.Map<String, long[]> histogram(long pid) {
        java.util.Map<String, long[]> out = new java.util.HashMap<>();
        Pattern row = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");
        for (String line : jcmd(pid, "GC.class_histogram").lines().toList()) {
            Matcher m = row.matcher(line);
            if (m.find()) out.put(m.group(3), new long[]{Long.parseLong(m.group(1)), Long.parseLong(m.group(2))});
        }
        return out;
    }

    /** The classes whose live bytes grew most between two histograms, per connection. */
    static String growth(java.util.Map<String, long[]> before, java.util.Map<String, long[]> after, int connections, int top) {
        record Row(String name, long instances, long bytes) {}
        java.util.List<Row> rows = new java.util.ArrayList<>();
        long total = 0;
        for (var e : after.entrySet()) {
            long[] b = before.getOrDefault(e.getKey(), new long[2]);
            Row r = new Row(e.getKey(), e.getValue()[0] - b[0], e.getValue()[1] - b[1]);
            total += r.bytes();
            if (r.bytes() > 0) rows.add(r);
        }
        rows.sort(java.util.Comparator.comparingLong(Row::bytes).reversed());
        StringBuilder sb = new StringBuilder(String.format(java.util.Locale.ROOT,
                "heap growth with %,d idle connections: %,d bytes, %.0f bytes per connection%n%n%12s %10s %10s  %s%n",
                connections, total, total / (double) connections, "bytes/conn", "inst/conn", "bytes", "class"));
        for (Row r : rows.subList(0, Math.min(top, rows.size()))) {
            sb.append(String.format(java.util.Locale.ROOT, "%12.1f %10.2f %10d  %s%n", r.bytes() / (double) connections,
                    r.instances() / (double) connections, r.bytes(), r.name()));
        }
        return sb.toString();
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
