package io.walkerd.websocket;

import io.walkerd.auth.Principal;
import io.walkerd.server.LogSafe;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One websocket connection: its identity (client id, user, the channel it connected to), the protocol version it
 * speaks, the channels it is in, its ordered outbound queue, the events it sent that wait to be processed (one at a
 * time, in arrival order), its limits, and its close.
 */
final class Client {
    private static final Logger log = LoggerFactory.getLogger(Client.class);
    /** Events one worker processes before it lets other connections' events run. */
    private static final int EVENTS_PER_TURN = 16;

    private final String id;
    private final String channel;
    private final int version;
    /** The channels it is in, the one it connected to included; changed only under the hub's lock. */
    private final Map<String, Membership> memberships = new ConcurrentHashMap<>();
    private final CoreSession session;
    private final OutboundQueue out;
    private final SocketSettings settings;
    private final Executor workers;
    private final ScheduledExecutorService timer;
    private final Consumer<Client> onGone;
    private final SocketMetrics metrics;
    private final Queue<Runnable> events = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pendingEvents = new AtomicInteger();
    private final AtomicBoolean eventsScheduled = new AtomicBoolean();
    private final AtomicBoolean gone = new AtomicBoolean();
    /** Its channel messages still on their way back from Redis to this instance's members (events run one at a time). */
    private volatile CompletableFuture<Void> echoes = CompletableFuture.completedFuture(null);
    private volatile Principal principal;
    private volatile boolean registered;

    // liveness, touched only by the heartbeat
    long lastFramesIn = -1;
    long lastHeardNanos = System.nanoTime();

    Client(String id, String channel, int version, Principal principal, CoreSession session, SocketSettings settings,
           Executor workers, ScheduledExecutorService timer, Consumer<Client> onGone, SocketMetrics metrics) {
        this.id = id;
        this.channel = channel;
        this.version = version;
        this.principal = principal;
        this.session = session;
        this.settings = settings;
        this.workers = workers;
        this.timer = timer;
        this.onGone = onGone;
        this.metrics = metrics;
        this.out = new OutboundQueue(session, settings.maxQueueMessages(), settings.maxQueueBytes(), this::writeFailed);
    }

    String id() { return id; }

    /** The channel of {@code ?channel_id=} (or a fresh id), as the connection event reports it. */
    String channel() { return channel; }

    /** 1: jac-cloud's protocol; 2: deliveries in envelopes ({@code ?v=2}). */
    int version() { return version; }

    Membership membership(String channel) { return memberships.get(channel); }

    Collection<Membership> memberships() { return memberships.values(); }

    Map<String, Membership> membershipIndex() { return memberships; }

    Principal principal() { return principal; }

    /** The root ref id of the connection's user, {@code n::<hex>}. */
    String rootRef() { return principal.rootRef(); }

    void principal(Principal p) { this.principal = p; }

    CoreSession session() { return session; }

    boolean isGone() { return gone.get(); }

    /** Set by the hub once the connection is in its indexes. */
    boolean registered() { return registered; }

    void registered(boolean r) { this.registered = r; }

    /** Queues a frame of the server to this connection (a reply); one over the queue's bound closes it as not reading. */
    void send(String json) {
        send(Outgoing.of(json));
        metrics.messagesOut(SocketMetrics.Target.REPLY, 1);
    }

    /** Queues a delivery, encoded for this connection's protocol version. */
    void send(Delivery d) { send(d.outgoing(version)); }

    /** Queues an encoded message (a fan-out encodes once for all its connections); never blocks. */
    void send(Outgoing message) {
        OutboundQueue.Offer offer = out.offer(message);
        if (offer == OutboundQueue.Offer.QUEUED) metrics.queued(out.messages(), message.bytes());
        if (offer == OutboundQueue.Offer.FULL) {
            log.warn("client {} ({}) closed: it does not read; {} messages / {} bytes wait to be sent",
                    id, rootRef(), out.messages(), out.bytes());
            close(SocketMetrics.Disconnect.SLOW_CONSUMER, CloseCodes.POLICY, "outbound queue full: the client does not read its messages");
        }
    }

    /**
     * Processes an event after the earlier ones of this connection. With {@code mayRunHere} (the event never blocks)
     * and nothing of this connection queued or running, it runs on the caller's thread; otherwise on a worker.
     * Events of one connection are submitted by one thread at a time (Jetty's), so "nothing queued" stays true
     * until this call returns.
     */
    void submit(Runnable event, boolean mayRunHere) {
        if (gone.get()) return;
        if (mayRunHere && events.isEmpty() && eventsScheduled.compareAndSet(false, true)) {
            try {
                event.run();
            } finally {
                eventsScheduled.set(false);
                if (!events.isEmpty()) schedule();
            }
            return;
        }
        if (pendingEvents.incrementAndGet() > settings.maxPendingEvents()) {
            log.warn("client {} ({}) closed: more than {} events wait to be processed", id, rootRef(), settings.maxPendingEvents());
            close(SocketMetrics.Disconnect.RATE_LIMITED, CloseCodes.POLICY, "too many pending events: the client sends events faster than they are processed");
            return;
        }
        events.add(event);
        schedule();
    }

    private void schedule() {
        if (!eventsScheduled.compareAndSet(false, true)) return;
        try {
            workers.execute(this::runEvents);
        } catch (RejectedExecutionException e) {
            // the server is stopping: the event handler only answers "shutting down" now, which never blocks
            runEvents();
        }
    }

    private void runEvents() {
        try {
            for (int i = 0; i < EVENTS_PER_TURN && !gone.get(); i++) {
                Runnable event = events.poll();
                if (event == null) break;
                pendingEvents.decrementAndGet();
                event.run();
            }
        } finally {
            eventsScheduled.set(false);
            if (gone.get()) events.clear();
            else if (!events.isEmpty()) schedule();
        }
    }

    /** Notes channel messages of this connection that local members get back from Redis. */
    void echoes(java.util.List<CompletableFuture<Void>> pending) {
        CompletableFuture<Void> all = CompletableFuture.allOf(pending.toArray(new CompletableFuture<?>[0]));
        if (all.isDone()) return;
        echoes = echoes.isDone() ? all : CompletableFuture.allOf(echoes, all);
    }

    /**
     * Waits (bounded) until this connection's channel messages reached local members, so that what its next event
     * causes here (a reply, a walker's notifications, a direct message) cannot arrive before them.
     */
    void awaitEchoes() {
        if (echoes.isDone()) return;
        Fanout.awaitLocal(echoes);
        echoes = CompletableFuture.completedFuture(null);
    }

    /** Closes at once: what is queued is dropped, the close frame is sent, the socket dropped if the peer stalls. */
    void close(SocketMetrics.Disconnect why, int code, String reason) {
        if (!gone.compareAndSet(false, true)) return;
        metrics.disconnected(why);
        onGone.accept(this);
        out.discard();
        session.close(code, reason, Callback.NOOP);
        dropAfterCloseTimeout();
    }

    /** Closes once every queued message is written (graceful shutdown). */
    void closeAfterFlush(int code, String reason) {
        if (!gone.compareAndSet(false, true)) return;
        metrics.disconnected(SocketMetrics.Disconnect.SHUTDOWN);
        onGone.accept(this);
        out.closeAfterFlush(code, reason);
        dropAfterCloseTimeout();
    }

    /** Drops the socket without a close handshake (dead peer, broken write). */
    void abort(SocketMetrics.Disconnect reason, String why) {
        log.info("client {} ({}) dropped: {}", id, rootRef(), why);
        if (gone.compareAndSet(false, true)) metrics.disconnected(reason);
        onGone.accept(this);
        out.discard();
        session.abort();
    }

    /** The socket ended (close frame, TCP drop or error); idempotent. */
    void ended(int code, String reason) {
        boolean first = gone.compareAndSet(false, true);
        onGone.accept(this);
        out.discard();
        events.clear();
        if (!first) return;
        metrics.disconnected(endedBy(code));
        // DEBUG: a reconnect storm would otherwise queue every thread behind the log's lock; closes the server
        // decides (a slow reader, a flood, a dead peer) are logged where they are decided
        if (code < 0) log.debug("client {} ({}) disconnected after an error: {}", id, rootRef(), LogSafe.of(reason));
        else log.debug("client {} ({}) disconnected: {} {}", id, rootRef(), code, reason == null ? "" : LogSafe.of(reason));
    }

    /** Why a socket that ended by itself (not closed by us) ended, from its close code (-1: an error). */
    static SocketMetrics.Disconnect endedBy(int code) {
        return switch (code) {
            case -1, 1006, 1002, 1011 -> SocketMetrics.Disconnect.ERROR;
            case CloseCodes.TOO_BIG -> SocketMetrics.Disconnect.TOO_LARGE;
            default -> SocketMetrics.Disconnect.NORMAL;
        };
    }

    private void dropAfterCloseTimeout() {
        try {
            timer.schedule(() -> {
                if (!session.isClosed()) {
                    log.info("client {} dropped: no close handshake within {} ms", id, settings.closeTimeout().toMillis());
                    session.abort();
                }
            }, settings.closeTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            session.abort(); // the plugin is stopping: nothing will wait for the handshake
        }
    }

    private void writeFailed(Throwable cause) {
        if (gone.get()) return;
        abort(SocketMetrics.Disconnect.ERROR, "write failed: " + cause);
    }

    int queuedMessages() { return out.messages(); }

    @Override
    public String toString() { return id; }
}
