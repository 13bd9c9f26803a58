package io.walkerd.websocket;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * The websocket plugin's meters (named {@code walkerd.ws.*}, {@code walkerd.broker.*}, ..., scraped as
 * {@code walkerd_ws_*_total} and so on), in the server's registry. Every meter is created here, once: the hot paths
 * (a frame read, a message queued, a fan-out) call one method that only increments a meter it already holds, never
 * a registry lookup. Labels take a few fixed values each, never an id. Gauges read the plugin's state when scraped.
 */
final class SocketMetrics {

    /** Why a connection ended: the {@code reason} label of {@code walkerd_ws_disconnects_total}. */
    enum Disconnect {
        /** The client closed, with a close frame. */
        NORMAL,
        /** Its outbound queue overflowed: it does not read. */
        SLOW_CONSUMER,
        /** It sent events far over {@code SOCKET_EVENTS_PER_SECOND}, or more than wait behind a running walker. */
        RATE_LIMITED,
        /** Another upgrade took the last connection slot of its address or user. */
        CONNECTION_LIMIT,
        /** It sent a message over {@code SOCKET_MAX_FRAME_BYTES} (Jetty closed with 1009). */
        TOO_LARGE,
        /** It answered no ping. */
        DEAD_PEER,
        /** The server stopped. */
        SHUTDOWN,
        /** The socket failed: a TCP drop without a close frame, a failed write, a protocol error. */
        ERROR;

        final String label = name().toLowerCase(Locale.ROOT);
    }

    /** How a message reached a connection: the {@code target} label of {@code walkerd_ws_messages_out_total}. */
    enum Target {
        /** A walker's {@code notifySelf}. */
        SELF,
        USER,
        CHANNEL,
        CLIENT,
        /** A node channel's event. */
        NODE,
        /** {@code presence_join} / {@code presence_leave}. */
        PRESENCE,
        /** Replayed from a channel's history on {@code join} with {@code recover}. */
        RECOVERY,
        /** A frame of the server to the connection itself: connection event, walker response, error, join reply... */
        REPLY;

        final String label = name().toLowerCase(Locale.ROOT);
    }

    /** The {@code type} label of an event that is none of the known types (not JSON, no type, an unknown one). */
    static final String INVALID = "invalid";
    /** The {@code type} label of a binary frame. */
    static final String BINARY = "binary";
    /** Buckets of the outbound queue's depth, in messages. */
    private static final double[] DEPTHS = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000};
    /**
     * One queued message in this many (a power of two) has its queue's depth recorded, each thread's first and then
     * every 16th: recording in a histogram costs several times a counter's increment (about 150 ns against 20 here),
     * on the path every message to every connection takes, and a sample shows the distribution as well.
     */
    static final int DEPTH_SAMPLING = 16;

    private final MeterRegistry registry;
    private final Counter connects;
    private final Counter[] disconnects = new Counter[Disconnect.values().length];
    /** By event type; filled in the constructor and only read afterwards. */
    private final Map<String, Counter> eventsIn = new HashMap<>();
    private final Counter invalidEvents;
    private final Counter[] messagesOut = new Counter[Target.values().length];
    private final Counter bytesOut;
    private final DistributionSummary queueDepth;
    /** Messages queued by this thread, for {@link #DEPTH_SAMPLING}. */
    private final ThreadLocal<int[]> queuedHere = ThreadLocal.withInitial(() -> new int[1]);
    private final Counter rateLimited;
    private final Counter published;
    private final Counter publishFailures;
    private final Counter received;
    private final Timer publishDuration;

    SocketMetrics(MeterRegistry registry) {
        this.registry = registry;
        connects = Counter.builder("walkerd.ws.connects").description("Websocket connections opened").register(registry);
        for (Disconnect d : Disconnect.values()) {
            disconnects[d.ordinal()] = Counter.builder("walkerd.ws.disconnects").description("Websocket connections ended, by reason")
                    .tag("reason", d.label).register(registry);
        }
        for (String type : EventHandler.TYPES) eventsIn.put(type, eventCounter(type));
        eventsIn.put(BINARY, eventCounter(BINARY));
        invalidEvents = eventCounter(INVALID);
        for (Target t : Target.values()) {
            messagesOut[t.ordinal()] = Counter.builder("walkerd.ws.messages.out")
                    .description("Messages handed to connections' outbound queues, by how they reached the connection")
                    .tag("target", t.label).register(registry);
        }
        bytesOut = Counter.builder("walkerd.ws.bytes.out").description("UTF-8 bytes of the messages handed to connections' outbound queues")
                .register(registry);
        queueDepth = DistributionSummary.builder("walkerd.ws.queue.depth")
                .description("Messages waiting in a connection's outbound queue right after one was queued (one message in "
                        + DEPTH_SAMPLING + ")")
                .serviceLevelObjectives(DEPTHS).register(registry);
        rateLimited = Counter.builder("walkerd.ws.rate.limited")
                .description("Events dropped with a rate_limited error frame (SOCKET_EVENTS_PER_SECOND)").register(registry);
        published = Counter.builder("walkerd.broker.publish").description("Messages published to Redis for other instances")
                .register(registry);
        publishFailures = Counter.builder("walkerd.broker.publish.failures")
                .description("Publishes to Redis that failed (Redis away, a timeout)").register(registry);
        received = Counter.builder("walkerd.broker.received").description("Messages received from Redis (this instance's own echoes included)")
                .register(registry);
        publishDuration = Timer.builder("walkerd.broker.publish.duration").description("From a publish to Redis's answer")
                .register(registry);
    }

    private Counter eventCounter(String type) {
        return Counter.builder("walkerd.ws.events.in").description("Events received from clients, by type").tag("type", type)
                .register(registry);
    }

    // ---- gauges, read when scraped ------------------------------------------------------------------------------

    /** Connections by authentication, channels and memberships of this instance's hub. */
    void watch(Hub hub) {
        gauge("walkerd.ws.connections", "Connections registered on this instance", hub, h -> connections(h, false), "auth", "authenticated");
        gauge("walkerd.ws.connections", "Connections registered on this instance", hub, h -> connections(h, true), "auth", "public");
        gauge("walkerd.channels", "Channels with at least one connection on this instance", hub, h -> h.channelIds().size());
        gauge("walkerd.presence.members", "Memberships (a connection in a channel) on this instance: its share of every channel's presence",
                hub, SocketMetrics::memberships);
    }

    /** Redis: whether it is reachable, and how many of its channels this instance listens to. */
    void watch(RedisBroker broker) {
        gauge("walkerd.broker.up", "1 while Redis is reachable, 0 during an outage", broker, b -> b.connected() ? 1 : 0);
        gauge("walkerd.broker.subscriptions", "Redis channels this instance is subscribed to", broker, RedisBroker::subscriptions);
    }

    /** The channel histories held in this instance's memory (all of them without Redis; with it, the stand-in's). */
    void watch(MemoryHistory history) {
        gauge("walkerd.history.channels", "Channels whose history this instance keeps in memory", history, MemoryHistory::channelCount);
        gauge("walkerd.history.messages", "Messages kept in this instance's in-memory channel histories", history, MemoryHistory::messageCount);
    }

    private <T> void gauge(String name, String description, T state, ToDoubleFunction<T> value, String... tags) {
        Gauge.builder(name, state, value).description(description).tags(tags).strongReference(true).register(registry);
    }

    static int connections(Hub hub, boolean publicOnes) {
        int n = 0;
        for (Client c : hub.all()) if (c.principal().isPublic() == publicOnes) n++;
        return n;
    }

    static int memberships(Hub hub) {
        int n = 0;
        for (String channel : hub.channelIds()) n += hub.members(channel).size();
        return n;
    }

    // ---- the hot paths -----------------------------------------------------------------------------------------

    void connected() { connects.increment(); }

    void disconnected(Disconnect why) { disconnects[why.ordinal()].increment(); }

    /** An event arrived; {@code type} is null for a frame without a known type. */
    void eventIn(String type) {
        Counter c = type == null ? null : eventsIn.get(type);
        (c == null ? invalidEvents : c).increment();
    }

    void rateLimited() { rateLimited.increment(); }

    /** {@code n} connections were handed one message (one call per fan-out, not one per connection). */
    void messagesOut(Target target, int n) {
        if (n > 0) messagesOut[target.ordinal()].increment(n);
    }

    /** A message entered a connection's queue, which now holds {@code depth} messages. */
    void queued(int depth, int bytes) {
        bytesOut.increment(bytes);
        if ((queuedHere.get()[0]++ & (DEPTH_SAMPLING - 1)) == 0) queueDepth.record(depth);
    }

    /** The {@code target} label of a delivery. */
    static Target targetOf(Delivery d) {
        return switch (d.kind()) {
            case NODE -> Target.NODE;
            case EVENT -> Target.PRESENCE;
            case MESSAGE -> d.topic() == null ? Target.SELF : switch (d.topic().kind()) {
                case USER -> Target.USER;
                case CHANNEL -> Target.CHANNEL;
                case CLIENT -> Target.CLIENT;
            };
        };
    }

    // ---- Redis -------------------------------------------------------------------------------------------------

    /** A publish to Redis starts; returns its start time for {@link #publishDone}. */
    long publishing() {
        published.increment();
        return System.nanoTime();
    }

    /** Redis answered a publish (or it failed). */
    void publishDone(long startNanos, boolean failed) {
        publishDuration.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
        if (failed) publishFailures.increment();
    }

    /** A publish that could not even be tried: Redis is not connected. */
    void publishImpossible() {
        published.increment();
        publishFailures.increment();
    }

    void receivedFromBroker() { received.increment(); }

    // ---- what the admin page reads -----------------------------------------------------------------------------

    /** Every message handed to a connection so far. */
    double messagesOutTotal() {
        double n = 0;
        for (Counter c : messagesOut) n += c.count();
        return n;
    }

    /** Every event received so far. */
    double eventsInTotal() {
        double n = invalidEvents.count();
        for (Counter c : eventsIn.values()) n += c.count();
        return n;
    }
}
