package io.walkerd.websocket;

import io.javalin.config.JavalinConfig;
import io.walkerd.spi.Plugin;
import io.walkerd.spi.PluginContext;
import org.eclipse.jetty.websocket.core.server.WebSocketUpgradeHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The websocket plugin: {@code /websocket} on the server's port, the six client events, walker notifications,
 * protocol 2 (request ids, envelopes, many channels per connection, history and recovery, presence, node channels),
 * and cross-instance delivery through Redis. It wires the parts (endpoint, event handler, hub, fanout, broker,
 * histories, presence, node channels) and owns their threads; each server instance has its own plugin instance,
 * nothing is shared between them.
 */
public final class WebsocketPlugin implements Plugin {
    private static final Logger log = LoggerFactory.getLogger(WebsocketPlugin.class);

    private SocketSettings settings;
    private ThreadPoolExecutor workers;
    private ScheduledExecutorService timer;
    private List<ThreadPoolExecutor> lanes;
    private ThreadPoolExecutor nodeLane;
    private Broker broker;
    private ChannelHistory history;
    private MemoryHistory memoryHistory;
    private SocketMetrics metrics;
    private ScheduledExecutorService adminThread;
    private AdminFeed admin;
    private Presence presence;
    private Hub hub;
    private EventHandler events;
    private SocketEndpoint endpoint;
    private String instanceId;

    @Override
    public String name() { return "websocket"; }

    @Override
    public Set<String> walkerMethods() { return Set.of("websocket"); }

    @Override
    public void configure(JavalinConfig javalin, PluginContext ctx) {
        settings = SocketSettings.from(ctx.config());
        instanceId = ctx.instanceId();
        timer = new ScheduledThreadPoolExecutor(1, threads("walkerd-ws-timer-" + instanceId));
        // walker events block on MongoDB: they get their own threads, never Jetty's
        workers = new ThreadPoolExecutor(settings.workers(), settings.workers(), 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), threads("walkerd-ws-worker-" + instanceId));
        workers.allowCoreThreadTimeOut(true);
        metrics = new SocketMetrics(ctx.metrics().registry());
        broker = settings.redisHost() == null
                ? new LocalBroker()
                : new RedisBroker(settings.redisHost(), settings.redisPrefix(), instanceId, timer, metrics);
        hub = new Hub(broker);
        metrics.watch(hub);
        if (broker instanceof RedisBroker redis) metrics.watch(redis);
        // channel messages reach local members from the lanes, each writing to its own share of them, in order (Fanout)
        lanes = new ArrayList<>();
        for (int i = 0; i < settings.lanes(); i++) lanes.add(relayExecutor("walkerd-ws-lane-" + i + "-" + instanceId));
        // node channels' deliveries read users' access from the store: a lane of their own, in order
        nodeLane = relayExecutor("walkerd-ws-nodes-" + instanceId);
        NodeChannels nodes = new NodeChannels(ctx::accessTo, ctx.json(), nodeLane, hub, metrics);
        history = histories();
        Fanout fanout = new Fanout(hub, broker, lanes, history, nodes, metrics);
        nodes.start(fanout);
        presence = broker instanceof RedisBroker redis ? new RedisPresence(redis, hub, settings.presenceTtl().toSeconds()) : new Presence.Local(hub);
        hub.listen(presence);
        if (settings.joinLeave()) hub.listen(new JoinLeaveEvents(fanout));
        ctx.onCommit(nodes);
        Replies replies = new Replies(ctx.json());
        Protections protections = Protections.from(ctx);
        ChannelEvents channels = new ChannelEvents(hub, broker, history, presence, nodes, protections.channels, settings, replies,
                ctx.json(), metrics);
        events = new EventHandler(ctx.runner(), ctx.tokens(), hub, fanout, broker, replies, ctx.json(), protections, channels, presence,
                metrics);
        endpoint = new SocketEndpoint(settings, hub, events, replies, workers, timer, protections, nodes, ctx.tokens(), metrics);
        ctx.provide(Notifications.class, new Notifications(fanout, ctx.json(), settings.maxFrameBytes(), metrics));
        broker.start(fanout);

        // the admin page's samples and live pushes: a thread of their own, off the timer that runs heartbeats
        adminThread = new ScheduledThreadPoolExecutor(1, threads("walkerd-admin-" + instanceId));
        admin = new AdminFeed(hub, broker, memoryHistory, history != null, metrics, ctx.metrics(), ctx.json(), instanceId,
                () -> endpoint.open().size(), adminThread);
        hub.listen(admin);
        new AdminRoutes(ctx.adminAccess(), admin, hub, presence, ctx.json()).register(javalin.routes);

        // Jetty core's upgrade handler in front of Javalin's servlet: upgrades of /websocket never reach the servlet
        // (no servlet request, HTTP session or Javalin context per socket), and a socket is Jetty core's frame
        // handler, without the API layer's session, method handles and kept upgrade request; every other request
        // passes through
        javalin.jetty.modifyServer(server -> {
            WebSocketUpgradeHandler upgrades = new WebSocketUpgradeHandler();
            var c = upgrades.getConfiguration();
            c.setMaxTextMessageSize(settings.maxFrameBytes());
            c.setMaxBinaryMessageSize(settings.maxFrameBytes());
            c.setMaxFrameSize(settings.maxFrameBytes());
            c.setIdleTimeout(settings.idleTimeout());
            upgrades.addMapping("/websocket", endpoint.negotiator());
            upgrades.setHandler(server.getHandler()); // Javalin attaches its servlet at the end of this chain
            server.setHandler(upgrades);
        });
    }

    /** In memory for one instance; in Redis for instances that share it, with memory standing in while it is away. */
    private ChannelHistory histories() {
        if (!settings.keepsHistory()) return null;
        MemoryHistory memory = new MemoryHistory(settings.historySize(), settings.historyTtl().toMillis(),
                settings.historyMetaTtl().toMillis(), channel -> !hub.members(channel).isEmpty());
        memoryHistory = memory;
        metrics.watch(memory);
        long sweep = Math.max(1000, Math.min(settings.historyTtl().toMillis(), 60_000));
        timer.scheduleAtFixedRate(() -> {
            try {
                memory.sweep();
            } catch (RuntimeException e) {
                log.error("websocket: sweeping channel histories failed", e); // thrown, it would cancel every later sweep
            }
        }, sweep, sweep, TimeUnit.MILLISECONDS);
        if (broker instanceof RedisBroker redis) {
            return new RedisHistory(redis, settings.historySize(), settings.historyTtl().toMillis(),
                    settings.historyMetaTtl().toMillis(), memory, metrics);
        }
        return memory;
    }

    @Override
    public void started() {
        admin.start();
        if (!settings.ping().isZero()) {
            // each tick pings one slice of the connections: every one once per interval, never all at once
            long tick = Math.max(1, settings.ping().toMillis() / Heartbeat.SLICES);
            timer.scheduleAtFixedRate(new Heartbeat(hub::all, settings.ping()), tick, tick, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Refuses new connections and events, lets running walker events finish, then closes every socket with 1001
     * once its queue is written; all within {@code graceMillis}.
     */
    @Override
    public void stopping(long graceMillis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(graceMillis);
        admin.stop();
        endpoint.refuseNewConnections();
        events.stop();
        workers.shutdown();
        try {
            if (!workers.awaitTermination(remaining(deadline), TimeUnit.NANOSECONDS)) {
                log.warn("websocket: walker events still running after {} ms; closing connections anyway", graceMillis);
            }
            List<Client> open = new ArrayList<>(endpoint.open());
            log.info("websocket: closing {} connections with {}", open.size(), CloseCodes.GOING_AWAY);
            for (Client c : open) c.closeAfterFlush(CloseCodes.GOING_AWAY, "The server is shutting down");
            while (!endpoint.open().isEmpty() && remaining(deadline) > 0) {
                TimeUnit.MILLISECONDS.sleep(10);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Client c : endpoint.open()) c.abort(SocketMetrics.Disconnect.SHUTDOWN, "still open when the server stopped");
    }

    @Override
    public void stopped() {
        workers.shutdownNow();
        adminThread.shutdownNow();
        for (ThreadPoolExecutor lane : lanes) lane.shutdownNow();
        nodeLane.shutdownNow();
        presence.close();
        timer.shutdownNow();
        if (history != null) history.close();
        broker.close();
    }

    /** A read-only view of this instance's connection indexes (tests and diagnostics). */
    Hub.Counts counts() { return hub.counts(); }

    Hub hub() { return hub; }

    boolean acceptsConnections() { return endpoint.accepting(); }

    /** Sockets open, registered in the hub or still authenticating. */
    int openSockets() { return endpoint.open().size(); }

    Broker broker() { return broker; }

    ChannelHistory history() { return history; }

    private static long remaining(long deadline) { return Math.max(0, deadline - System.nanoTime()); }

    /**
     * One thread, so messages keep their order; a bounded queue whose overflow makes the producer (a client's or
     * Redis's reading thread) wait, so a flood cannot grow memory without bound.
     */
    private static ThreadPoolExecutor relayExecutor(String name) {
        return new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(10_000), threads(name),
                (task, pool) -> {
                    if (pool.isShutdown()) return;
                    try {
                        pool.getQueue().put(task);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        ThreadFactory base = Executors.defaultThreadFactory();
        return r -> {
            Thread t = base.newThread(r);
            t.setName(prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
