package io.walkerd.websocket;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.sse.SseClient;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.walkerd.metrics.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntSupplier;

/**
 * What the admin page shows, and its live feed: this instance's connections, channels and Redis state, and rates
 * over the last {@value #SAMPLES} seconds, sampled once a second from the registry's counters (messages out, events
 * in, and the runtime's walker calls when it measures them), plus the slowest walkers from the runtime's walker
 * timer. Pages that watch get the summary over server-sent events every second, and within a fraction of a second
 * when a connection comes or goes.
 *
 * <p>Everything runs on one thread of its own: a watcher's slow network can hold up other watchers, never a
 * websocket connection or the heartbeat.
 */
final class AdminFeed implements Hub.MembershipListener {
    private static final Logger log = LoggerFactory.getLogger(AdminFeed.class);
    /** Seconds of rates kept and shown. */
    static final int SAMPLES = 300;
    /** The runtime's meters of walker runs (absent until it measures them: the page then says so). */
    static final String WALKER_CALLS = "walkerd.walker.calls";
    static final String WALKER_DURATION = "walkerd.walker.duration";
    /** How many of the slowest walkers are listed. */
    static final int SLOWEST = 10;
    private static final long PUSH_AFTER_CHANGE_MS = 100;

    private final Hub hub;
    private final Broker broker;
    private final MemoryHistory memoryHistory;
    private final boolean historyOn;
    private final SocketMetrics socketMetrics;
    private final Metrics metrics;
    private final ObjectMapper json;
    private final String instanceId;
    private final IntSupplier openSockets;
    private final ScheduledExecutorService thread;
    private final Set<SseClient> watchers = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean pushPending = new AtomicBoolean();

    // rates, touched only on the feed's thread (and read under the lock by summaries from HTTP threads)
    private final Series messagesOut = new Series();
    private final Series eventsIn = new Series();
    private final Series walkerCalls = new Series();
    private long lastSampleNanos;

    /**
     * @param memoryHistory the channel histories in this instance's memory (the stand-in's with Redis); null without history
     * @param openSockets   sockets open, authenticated or not yet
     */
    AdminFeed(Hub hub, Broker broker, MemoryHistory memoryHistory, boolean historyOn, SocketMetrics socketMetrics, Metrics metrics,
              ObjectMapper json, String instanceId, IntSupplier openSockets, ScheduledExecutorService thread) {
        this.hub = hub;
        this.broker = broker;
        this.memoryHistory = memoryHistory;
        this.historyOn = historyOn;
        this.socketMetrics = socketMetrics;
        this.metrics = metrics;
        this.json = json;
        this.instanceId = instanceId;
        this.openSockets = openSockets;
        this.thread = thread;
    }

    /** Starts sampling, once a second. */
    void start() {
        sample();
        thread.scheduleAtFixedRate(() -> {
            try {
                sample();
                push();
            } catch (RuntimeException e) {
                log.error("admin feed: a sample failed", e); // thrown, it would cancel every later one
            }
        }, 1, 1, TimeUnit.SECONDS);
    }

    /** Ends every watcher's stream (the server stops). */
    void stop() {
        for (SseClient w : List.copyOf(watchers)) w.close();
        watchers.clear();
    }

    /** A page watches: it gets the summary now, then every second, until it goes away. */
    void watch(SseClient client) {
        client.keepAlive();
        client.onClose(() -> watchers.remove(client));
        watchers.add(client);
        thread.execute(() -> send(client, summaryText()));
    }

    // a connection came or went (its first channel is entered when it registers, every one left when it ends)

    @Override
    public void joined(Membership m) { changed(); }

    @Override
    public void left(Membership m) { changed(); }

    /** Pushes soon, at most once per {@value #PUSH_AFTER_CHANGE_MS} ms; nothing when nobody watches. */
    private void changed() {
        if (watchers.isEmpty() || !pushPending.compareAndSet(false, true)) return;
        try {
            thread.schedule(this::push, PUSH_AFTER_CHANGE_MS, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            pushPending.set(false);
        }
    }

    private void push() {
        pushPending.set(false);
        if (watchers.isEmpty()) return;
        String text = summaryText();
        for (SseClient w : List.copyOf(watchers)) send(w, text);
    }

    private void send(SseClient client, String text) {
        if (client.terminated()) {
            watchers.remove(client);
            return;
        }
        client.sendEvent("summary", text);
    }

    // ---- sampling ----------------------------------------------------------------------------------------------

    private synchronized void sample() {
        long now = System.nanoTime();
        double seconds = lastSampleNanos == 0 ? 0 : (now - lastSampleNanos) / 1e9;
        lastSampleNanos = now;
        messagesOut.add(socketMetrics.messagesOutTotal(), seconds);
        eventsIn.add(socketMetrics.eventsInTotal(), seconds);
        Double calls = walkerCallsTotal(metrics.registry());
        if (calls == null) walkerCalls.clear();
        else walkerCalls.add(calls, seconds);
    }

    /** Every walker call counted so far, or null when the runtime does not count them. */
    static Double walkerCallsTotal(MeterRegistry registry) {
        Collection<Counter> counters = registry.find(WALKER_CALLS).counters();
        if (counters.isEmpty()) return null;
        double n = 0;
        for (Counter c : counters) n += c.count();
        return n;
    }

    /** Per-second rates of one counter: the last {@value #SAMPLES} differences between samples. */
    private static final class Series {
        private final double[] rates = new double[SAMPLES];
        private int size;
        private int next;
        private double last = Double.NaN;

        void add(double total, double seconds) {
            if (!Double.isNaN(last) && seconds > 0) {
                rates[next] = Math.max(0, total - last) / seconds;
                next = (next + 1) % SAMPLES;
                size = Math.min(SAMPLES, size + 1);
            }
            last = total;
        }

        void clear() {
            size = 0;
            next = 0;
            last = Double.NaN;
        }

        boolean measured() { return !Double.isNaN(last); }

        /** Oldest first, rounded to hundredths. */
        void writeTo(ArrayNode out) {
            for (int i = 0; i < size; i++) out.add(Math.round(rates[(next - size + i + SAMPLES) % SAMPLES] * 100) / 100.0);
        }
    }

    // ---- the summary -------------------------------------------------------------------------------------------

    String summaryText() {
        try {
            return json.writeValueAsString(summary());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the admin summary", e);
        }
    }

    /** Everything the page shows but the channel list and presence, which it asks for. */
    ObjectNode summary() {
        ObjectNode s = json.createObjectNode();
        s.put("instance", instanceId);
        s.put("time", System.currentTimeMillis());
        s.put("metrics", metrics.enabled());
        ObjectNode connections = s.putObject("connections");
        connections.put("authenticated", SocketMetrics.connections(hub, false));
        connections.put("public", SocketMetrics.connections(hub, true));
        connections.put("open_sockets", openSockets.getAsInt());
        s.put("channels", hub.channelIds().size());
        s.put("memberships", SocketMetrics.memberships(hub));
        ObjectNode redis = s.putObject("broker");
        if (broker instanceof RedisBroker r) {
            redis.put("kind", "redis");
            redis.put("where", r.where());
            redis.put("up", r.connected());
            redis.put("subscriptions", r.subscriptions());
        } else {
            redis.put("kind", "local");
        }
        ObjectNode history = s.putObject("history");
        history.put("on", historyOn);
        if (historyOn) {
            history.put("kept", broker instanceof RedisBroker ? "redis" : "memory");
            history.put("memory_channels", memoryHistory.channelCount());
            history.put("memory_messages", memoryHistory.messageCount());
        }
        ObjectNode rates = s.putObject("rates");
        rates.put("interval_seconds", 1);
        synchronized (this) {
            messagesOut.writeTo(rates.putArray("messages_out"));
            eventsIn.writeTo(rates.putArray("events_in"));
            if (walkerCalls.measured()) walkerCalls.writeTo(rates.putArray("walker_calls"));
            else rates.putNull("walker_calls");
        }
        List<WalkerTime> slowest = slowestWalkers(metrics.registry(), SLOWEST);
        if (slowest == null) {
            s.putNull("slowest_walkers");
        } else {
            ArrayNode list = s.putArray("slowest_walkers");
            for (WalkerTime w : slowest) {
                list.addObject().put("walker", w.walker()).put("calls", w.calls())
                        .put("mean_ms", round(w.meanMillis())).put("max_ms", round(w.maxMillis()));
            }
        }
        return s;
    }

    /** One walker's runs, its timers (by other tags) added up. */
    record WalkerTime(String walker, long calls, double totalMillis, double maxMillis) {
        double meanMillis() { return calls == 0 ? 0 : totalMillis / calls; }
    }

    /** The walkers with the highest mean time, from the runtime's walker timer; null when it does not time them. */
    static List<WalkerTime> slowestWalkers(MeterRegistry registry, int limit) {
        Collection<Timer> timers = registry.find(WALKER_DURATION).timers();
        if (timers.isEmpty()) return null;
        Map<String, WalkerTime> by = new LinkedHashMap<>();
        for (Timer t : timers) {
            String walker = t.getId().getTag("walker");
            if (walker == null) continue;
            WalkerTime w = new WalkerTime(walker, t.count(), t.totalTime(TimeUnit.MILLISECONDS), t.max(TimeUnit.MILLISECONDS));
            by.merge(walker, w, (a, b) -> new WalkerTime(walker, a.calls() + b.calls(), a.totalMillis() + b.totalMillis(),
                    Math.max(a.maxMillis(), b.maxMillis())));
        }
        List<WalkerTime> out = new ArrayList<>(by.values());
        out.removeIf(w -> w.calls() == 0);
        out.sort(Comparator.comparingDouble(WalkerTime::meanMillis).reversed());
        return out.subList(0, Math.min(limit, out.size()));
    }

    private static double round(double millis) { return Math.round(millis * 100) / 100.0; }
}
