package io.walkerd.bench.run;

import jdk.jfr.consumer.RecordedClass;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What {@link JfrSummary} does not show: where a recording's threads wait rather than run. Execution samples miss
 * time spent in native code (SQLite's JNI calls) and time blocked on a lock, which is what a store under 100
 * concurrent callers is most often limited by. Three sections: contended {@code synchronized} monitors
 * ({@code jdk.JavaMonitorEnter}: total blocked time by monitor class and the first walkerd frame), parks on
 * {@code java.util.concurrent} locks and conditions ({@code jdk.ThreadPark}, idle pool threads left out), and native
 * method samples ({@code jdk.NativeMethodSample}, idle I/O waits left out).
 */
public final class JfrWaits {
    /** Frames of a thread with nothing to do: their parks and native samples are idleness, not cost. */
    private static final List<String> IDLE = List.of(
            "idleJobPoll", "ReservedThread.waitForTask", "ReservedThread.reservedWait", "ScheduledThreadPoolExecutor$DelayedWorkQueue.take",
            "ForkJoinPool.awaitWork", "EPoll.wait", "Net.accept", "Net.poll", "SelectorImpl.select", "ManagedSelector", "LinkedBlockingQueue.take",
            "LinkedBlockingQueue.poll", "SynchronousQueue", "ReferenceQueue.remove", "Object.wait", "Thread.sleep", "ServerSocketChannelImpl.accept",
            "NioEventLoop", "EpollEventLoop", "HashedWheelTimer", "DefaultSdamServerDescriptionManager", "DefaultServerMonitor");

    private JfrWaits() {}

    public static String summarize(Path jfr, int top) throws IOException {
        Map<String, Double> monitors = new HashMap<>(), parks = new HashMap<>();
        Map<String, Integer> natives = new HashMap<>();
        double monitorMs = 0, parkMs = 0;
        int nativeSamples = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(jfr)) {
            String type = e.getEventType().getName();
            RecordedStackTrace st = e.getStackTrace();
            if (st == null || st.getFrames().isEmpty()) continue;
            List<RecordedFrame> frames = st.getFrames();
            switch (type) {
                case "jdk.JavaMonitorEnter" -> {
                    double ms = e.getDuration().toNanos() / 1e6;
                    RecordedClass monitor = e.getClass("monitorClass");
                    monitors.merge((monitor == null ? "?" : monitor.getName()) + " ← " + firstOwn(frames), ms, Double::sum);
                    monitorMs += ms;
                }
                case "jdk.ThreadPark" -> {
                    if (idle(frames)) continue;
                    double ms = e.getDuration().toNanos() / 1e6;
                    parks.merge(firstBeyondLocks(frames) + " ← " + firstOwn(frames), ms, Double::sum);
                    parkMs += ms;
                }
                case "jdk.NativeMethodSample" -> {
                    if (idle(frames)) continue;
                    natives.merge(JfrSummaryNames.name(frames.get(0)) + " ← " + firstOwn(frames), 1, Integer::sum);
                    nativeSamples++;
                }
                default -> { }
            }
        }
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%nblocked on synchronized monitors (jdk.JavaMonitorEnter, waits over the recording's threshold): %.0f ms in all%n", monitorMs));
        durations(out, monitors, monitorMs, top);
        out.append(String.format(Locale.ROOT, "%nparked on locks and conditions, idle pool threads left out (jdk.ThreadPark): %.0f ms in all%n", parkMs));
        durations(out, parks, parkMs, top);
        out.append(String.format(Locale.ROOT, "%nin native code, idle I/O waits left out (jdk.NativeMethodSample): %d samples%n", nativeSamples));
        natives.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(top)
                .forEach(en -> out.append(String.format(Locale.ROOT, "  %5d  %s%n", en.getValue(), en.getKey())));
        return out.toString();
    }

    private static void durations(StringBuilder out, Map<String, Double> by, double total, int top) {
        by.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(top)
                .forEach(en -> out.append(String.format(Locale.ROOT, "  %8.0f ms %5.1f%%  %s%n", en.getValue(), 100 * en.getValue() / Math.max(1e-9, total), en.getKey())));
    }

    private static boolean idle(List<RecordedFrame> frames) {
        for (RecordedFrame f : frames) {
            String n = JfrSummaryNames.name(f);
            for (String i : IDLE) if (n.contains(i)) return true;
        }
        return false;
    }

    /** The first walkerd frame (where in walkerd the wait comes from), or the bottom-most frame shown. */
    private static String firstOwn(List<RecordedFrame> frames) {
        for (RecordedFrame f : frames) {
            String n = JfrSummaryNames.name(f);
            if (n.startsWith("io.walkerd.")) return n;
        }
        return "(no walkerd frame)";
    }

    /** The first frame that is not the JDK's lock machinery: which lock or queue was waited on. */
    private static String firstBeyondLocks(List<RecordedFrame> frames) {
        Set<String> machinery = Set.of("jdk.internal.misc.Unsafe.park", "java.util.concurrent.locks.LockSupport.park",
                "java.util.concurrent.locks.LockSupport.parkNanos");
        for (RecordedFrame f : frames) {
            String n = JfrSummaryNames.name(f);
            if (machinery.contains(n) || n.startsWith("java.util.concurrent.locks.AbstractQueuedSynchronizer")) continue;
            return n;
        }
        return JfrSummaryNames.name(frames.get(0));
    }

    /** A frame as {@code class.method}, as {@link JfrSummary} names them. */
    static final class JfrSummaryNames {
        private JfrSummaryNames() {}

        static String name(RecordedFrame f) {
            var m = f.getMethod();
            return m == null ? "?" : m.getType().getName() + "." + m.getName();
        }
    }
}
