package io.walkerd.bench.report;

import io.walkerd.bench.load.Result;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Writes {@code latest.md}: the run's conditions, one row per result with its ratios to the peers, and memory. */
public final class Report {
    /** Heap and RSS growth per idle connection of one server. */
    public record Memory(String server, int connections, long heapBefore, long heapAfter, long rssBefore, long rssAfter, String note) {
        public double heapPerConn() { return (heapAfter - heapBefore) / (double) connections; }

        public double rssPerConn() { return (rssAfter - rssBefore) / (double) connections; }
    }

    public static final String NODE_WS = "node-ws";
    public static final String SOCKET_IO = "socket.io";
    public static final String JAVALIN = "javalin-bare";

    private Report() {}

    public static String markdown(List<Result> results, List<Memory> memory, List<String> conditions, String png) {
        StringBuilder md = new StringBuilder("# walkerd bench: latest run\n\n");
        for (String c : conditions) md.append("- ").append(c).append('\n');
        md.append("\nmsgs/s: messages delivered to the generator per second (HTTP responses for walker-rest); latency from the "
                + "send timestamp each message carries to its arrival, in ms. × Node ws / × Socket.IO: this row's msgs/s over that "
                + "peer's in the same scenario and N (above 1 is faster). Fixed-rate rows (@…/s) send at that rate, so compare their "
                + "latency, not their throughput. connect rows: msgs/s is connections per second and the latency is each connection's, "
                + "from its TCP connect to the server's first frame saying it is connected (their notes compare p50 and p99 with Node ws: "
                + "above 1 is slower). multi-channel and three-instance rows: msgs/s is deliveries per second; three-instance also checks "
                + "exactly-once and per-publisher order on every connection, and a row with any duplicate, missing or out-of-order "
                + "delivery is marked FAILED.\n\n");
        md.append("| scenario | N | server | msgs/s | p50 ms | p99 ms | p999 ms | × Node ws | × Socket.IO | notes |\n");
        md.append("|---|---:|---|---:|---:|---:|---:|---:|---:|---|\n");
        for (Result r : results) {
            md.append("| ").append(r.label()).append(" | ").append(String.format(Locale.ROOT, "%,d", r.n())).append(" | ")
                    .append(r.server()).append(" | ").append(rate(r.msgsPerSec())).append(" | ").append(ms(r.p50Ms()))
                    .append(" | ").append(ms(r.p99Ms())).append(" | ").append(ms(r.p999Ms())).append(" | ")
                    .append(ratio(r, results, NODE_WS)).append(" | ").append(ratio(r, results, SOCKET_IO)).append(" | ")
                    .append(notes(r, results)).append(" |\n");
        }
        if (!memory.isEmpty()) {
            md.append("\n## Memory per idle connection\n\nHeap after a full GC (JVM: `jcmd GC.run`, Node: `global.gc()`) and RSS, "
                    + "before and after opening the connections; per connection = growth / connections.\n\n");
            md.append("| server | connections | heap / conn | RSS / conn | heap before → after | RSS before → after | notes |\n");
            md.append("|---|---:|---:|---:|---:|---:|---|\n");
            for (Memory m : memory) {
                md.append("| ").append(m.server()).append(" | ").append(String.format(Locale.ROOT, "%,d", m.connections())).append(" | ")
                        .append(kib(m.heapPerConn())).append(" | ").append(kib(m.rssPerConn())).append(" | ")
                        .append(mib(m.heapBefore())).append(" → ").append(mib(m.heapAfter())).append(" | ")
                        .append(mib(m.rssBefore())).append(" → ").append(mib(m.rssAfter())).append(" | ")
                        .append(m.note() == null ? "" : m.note()).append(" |\n");
            }
        }
        if (png != null) md.append("\n![throughput and p99 latency against N](").append(png).append(")\n");
        return md.toString();
    }

    public static void write(Path dir, String name, List<Result> results, List<Memory> memory, List<String> conditions, String title) throws IOException {
        Files.createDirectories(dir);
        Chart.write(results, title, dir.resolve(name + ".png"));
        Files.writeString(dir.resolve(name + ".md"), markdown(results, memory, conditions, name + ".png"));
        if (name.equals("latest")) updateReadme(dir.resolveSibling("README.md"), markdown(results, memory, conditions, "results/latest.png"));
    }

    /** Replaces what stands between the README's {@code latest:start} and {@code latest:end} markers. */
    static void updateReadme(Path readme, String latest) throws IOException {
        if (!Files.exists(readme)) return;
        String text = Files.readString(readme);
        String start = "<!-- latest:start -->", end = "<!-- latest:end -->";
        int a = text.indexOf(start), b = text.indexOf(end);
        if (a < 0 || b < a) return;
        String body = latest.replaceFirst("^# walkerd bench: latest run\\n\\n", "").replace("\n## Memory", "\n### Memory");
        Files.writeString(readme, text.substring(0, a + start.length()) + "\n" + body + text.substring(b));
    }

    private static String ratio(Result r, List<Result> all, String peer) {
        if (r.server().equals(peer) || r.variant().startsWith("@")) return "";
        List<Result> same = new ArrayList<>();
        for (Result o : all) {
            if (o.server().equals(peer) && o.scenario().equals(r.scenario()) && o.n() == r.n()
                    && (o.variant().equals(r.variant()) || r.scenario().equals("walker-rest"))) same.add(o);
        }
        if (same.isEmpty() || !(same.get(0).msgsPerSec() > 0) || Double.isNaN(r.msgsPerSec())) return "";
        return String.format(Locale.ROOT, "%.2f", r.msgsPerSec() / same.get(0).msgsPerSec());
    }

    private static String notes(Result r, List<Result> all) {
        String n = r.note() == null ? "" : r.note();
        if (r.scenario().equals("walker-rest") && !r.server().equals(JAVALIN)) {
            String ceiling = ratio(r, all, JAVALIN);
            if (!ceiling.isEmpty()) n = ceiling + " × bare Javalin" + (n.isEmpty() ? "" : "; " + n);
        }
        if (r.scenario().equals("connect") && !r.server().equals(NODE_WS)) {
            String latency = latencyRatios(r, all);
            if (!latency.isEmpty()) n = latency + (n.isEmpty() ? "" : "; " + n);
        }
        if (n.startsWith("FAILED")) n = "**FAILED**" + n.substring("FAILED".length());
        if (r.errors() > 0) n = r.errors() + " errors" + (n.isEmpty() ? "" : "; " + n);
        return n.replace("|", "\\|").replace("\n", " ");
    }

    /** {@code p50 1.20×, p99 2.00× Node ws}: this row's connect latencies over Node ws's (above 1 is slower). */
    private static String latencyRatios(Result r, List<Result> all) {
        for (Result o : all) {
            if (o.server().equals(NODE_WS) && o.scenario().equals(r.scenario()) && o.variant().equals(r.variant()) && o.n() == r.n()
                    && o.p50Ms() > 0 && o.p99Ms() > 0 && r.p50Ms() > 0 && r.p99Ms() > 0) {
                return String.format(Locale.ROOT, "p50 %.2f×, p99 %.2f× Node ws", r.p50Ms() / o.p50Ms(), r.p99Ms() / o.p99Ms());
            }
        }
        return "";
    }

    private static String rate(double v) { return Double.isNaN(v) ? "—" : String.format(Locale.ROOT, "%,.0f", v); }

    private static String ms(double v) { return Double.isNaN(v) ? "—" : String.format(Locale.ROOT, v < 10 ? "%.2f" : "%.1f", v); }

    private static String kib(double bytes) { return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024); }

    private static String mib(long bytes) { return String.format(Locale.ROOT, "%.0f MiB", bytes / 1048576.0); }
}
