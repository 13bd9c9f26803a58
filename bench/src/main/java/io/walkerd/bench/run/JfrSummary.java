package io.walkerd.bench.run;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads a JFR recording's execution samples and prints where the CPU went: the top frames (self time), the methods
 * on the stack most often (total time), and the same for walkerd's own code.
 */
public final class JfrSummary {
    private JfrSummary() {}

    public static String summarize(Path jfr, int top) throws IOException {
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> total = new HashMap<>();
        Map<String, Integer> ownTotal = new HashMap<>();
        Map<String, Integer> threads = new HashMap<>();
        int samples = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(jfr)) {
            if (!e.getEventType().getName().equals("jdk.ExecutionSample")) continue;
            RecordedStackTrace st = e.getStackTrace();
            if (st == null || st.getFrames().isEmpty()) continue;
            samples++;
            List<RecordedFrame> frames = st.getFrames();
            self.merge(name(frames.get(0)), 1, Integer::sum);
            Set<String> seen = new HashSet<>();
            for (RecordedFrame f : frames) {
                String n = name(f);
                if (seen.add(n)) {
                    total.merge(n, 1, Integer::sum);
                    if (n.startsWith("io.walkerd.")) ownTotal.merge(n, 1, Integer::sum);
                }
            }
            var thread = e.getThread("sampledThread");
            String tn = thread == null ? "?" : thread.getJavaName();
            threads.merge(tn == null ? "?" : tn.replaceAll("[-#]?\\d+", "-N"), 1, Integer::sum);
        }
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%s: %d execution samples%n", jfr.getFileName(), samples));
        section(out, "top frames (self)", self, samples, top);
        section(out, "on the stack (total)", total, samples, top);
        section(out, "walkerd code on the stack (total)", ownTotal, samples, top);
        section(out, "threads", threads, samples, 10);
        return out.toString();
    }

    private static void section(StringBuilder out, String title, Map<String, Integer> counts, int samples, int top) {
        out.append('\n').append(title).append(":\n");
        counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(top)
                .forEach(en -> out.append(String.format(Locale.ROOT, "  %5.1f%%  %s%n", 100.0 * en.getValue() / Math.max(1, samples), en.getKey())));
    }

    private static String name(RecordedFrame f) {
        var m = f.getMethod();
        return m.getType().getName() + "." + m.getName();
    }
}
