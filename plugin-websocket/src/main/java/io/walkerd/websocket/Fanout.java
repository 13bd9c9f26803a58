package io.walkerd.websocket;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Delivers a message to every connection a topic reaches: those of this instance, and those of other instances
 * through the broker. Messages from other instances arrive here and go to local connections only.
 *
 * <p>A channel's local members get its messages from the lanes (threads of their own, {@code SOCKET_LANES}, one by
 * default), whether they come from a client, a walker or another instance. Each connection belongs to one
 * lane (by its id), and every channel message is handed to every lane, in one order for all of them, so that a
 * connection gets a channel's messages in the order they were handed over, and the lanes write to their shares of a
 * large channel at once. The thread that sent a message goes on at once, and a lane takes what has queued up
 * meanwhile together, so that a member of a busy channel is written once for several messages
 * ({@link OutboundQueue#batched}). A sender that must keep its order (a walker's notifications before its response,
 * a client's channel message before what its next event causes) waits, bounded, on the future {@link #deliver}
 * returns, which completes once every lane has written the message. User and client topics are delivered on the
 * caller's thread.
 *
 * <p>A channel that keeps history has its messages numbered by the {@link ChannelHistory} first (by Redis when
 * instances share it), which then hands them to the lanes in offset order. Node channels' messages reach each member
 * only if its user can READ the node ({@link NodeChannels}).
 */
final class Fanout implements Broker.Receiver {
    private static final Logger log = LoggerFactory.getLogger(Fanout.class);
    /** Messages a lane turn takes at most, and deliveries after which it takes no more (then it writes). */
    static final int LANE_BATCH = 64, LANE_BATCH_DELIVERIES = 20_000;
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);
    /** {@link #deliverTo}'s lane for every connection, whatever its lane. */
    private static final int ALL_LANES = -1;
    /** Set on a lane's thread while it delivers: what it causes itself (a close's presence event) goes inline. */
    private static final ThreadLocal<Boolean> ON_LANE = new ThreadLocal<>();

    private final Hub hub;
    private final Broker broker;
    private final List<ThreadPoolExecutor> lanes;
    /** Held while a message is handed to every lane, so that all lanes get messages in one order. */
    private final Object handing = new Object();
    private final ChannelHistory history;
    private final NodeChannels nodes;
    private final SocketMetrics metrics;

    /**
     * @param lanes   each one thread with a bounded queue: deliver channel messages to their shares of the local
     *                members, in order, off the threads that read clients and Redis
     * @param history the channels' histories; null when they keep none ({@code SOCKET_HISTORY_SIZE=0})
     */
    Fanout(Hub hub, Broker broker, List<ThreadPoolExecutor> lanes, ChannelHistory history, NodeChannels nodes, SocketMetrics metrics) {
        if (lanes.isEmpty()) throw new IllegalArgumentException("at least one lane");
        this.hub = hub;
        this.broker = broker;
        this.lanes = List.copyOf(lanes);
        this.history = history;
        this.nodes = nodes;
        this.metrics = metrics;
        if (history != null) history.start(this::toLocalMembers);
    }

    /**
     * Delivers {@code d} to its topic on every instance.
     *
     * @return completes once this instance's connections have it: at once for users and clients; for a channel,
     * once the lanes have delivered it (with history in Redis, once it came back from there)
     */
    CompletableFuture<Void> deliver(Delivery d) {
        Topic topic = d.topic();
        if (topic.kind() == Topic.Kind.CHANNEL) {
            if (history != null && d.kind() != Delivery.Kind.EVENT) {
                return history.publish(d, d.kind() == Delivery.Kind.NODE, !hub.members(topic.id()).isEmpty());
            }
            CompletableFuture<Void> here = toLocalMembers(d);
            broker.publish(topic, d);
            return here;
        }
        boolean reachedHere = deliverLocally(d) > 0;
        // a client id lives on one instance: found here, nobody else has it
        if (topic.kind() == Topic.Kind.CLIENT && reachedHere) return DONE;
        broker.publish(topic, d);
        return DONE;
    }

    /** {@link #deliver}, then waits (at most {@link RedisHistory#ECHO_WAIT_MS}) until local members have it. */
    void deliverInOrder(Delivery d) { awaitLocal(deliver(d)); }

    static void awaitLocal(CompletableFuture<Void> delivered) {
        if (delivered.isDone()) return;
        try {
            delivered.get(RedisHistory.ECHO_WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            log.debug("a channel message did not reach local members in time; going on");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void received(Topic topic, Delivery d) {
        hand(new Laned(d, true, lanes.size()));
    }

    /** Gives {@code task} to every lane, in the same place of each one's queue (a full queue makes this wait). */
    private void hand(Laned task) {
        if (lanes.size() == 1) {
            lanes.get(0).execute(new Part(task, 0));
            return;
        }
        synchronized (handing) {
            for (int i = 0; i < lanes.size(); i++) lanes.get(i).execute(new Part(task, i));
        }
    }

    /**
     * A channel message for this instance's members: handed to the lanes (node channels, which check each member's
     * access, and channels without local members are served at once).
     */
    private CompletableFuture<Void> toLocalMembers(Delivery d) {
        String channel = d.topic().id();
        if (NodeChannels.isNodeChannel(channel)) {
            nodes.deliver(d);
            return DONE;
        }
        if (ON_LANE.get() != null || hub.members(channel).isEmpty()) {
            deliverLocally(d);
            return DONE;
        }
        Laned task = new Laned(d, false, lanes.size());
        hand(task);
        return task.done;
    }

    /** A message on its way to local connections, delivered by every lane to its share of them. */
    private final class Laned {
        final Delivery d;
        /** From Redis: its publisher here, if any, is told once it is delivered ({@link ChannelHistory#delivered}). */
        final boolean relayed;
        final CompletableFuture<Void> done;
        /** Lanes that have not written it yet. */
        final AtomicInteger unwritten;

        Laned(Delivery d, boolean relayed, int lanes) {
            this.d = d;
            this.relayed = relayed;
            this.done = relayed ? null : new CompletableFuture<>();
            this.unwritten = new AtomicInteger(lanes);
        }

        /** Called by each lane once it has written the message: the last one tells the sender. */
        void written() {
            if (unwritten.decrementAndGet() > 0) return;
            if (relayed) {
                if (history != null) history.delivered(d);
            } else {
                done.complete(null);
            }
        }
    }

    /** One lane's share of a {@link Laned} message. */
    private final class Part implements Runnable {
        final Laned message;
        final int lane;

        Part(Laned message, int lane) {
            this.message = message;
            this.lane = lane;
        }

        @Override
        public void run() { laneTurn(this); }
    }

    /**
     * On a lane: delivers {@code first} and the messages queued behind it (up to {@link #LANE_BATCH} messages or
     * {@link #LANE_BATCH_DELIVERIES} deliveries) to the lane's share of their members, in order, then writes each
     * connection they reached once, and only then tells their senders.
     */
    private void laneTurn(Part first) {
        List<Part> taken = new ArrayList<>();
        BlockingQueue<Runnable> queue = lanes.get(first.lane).getQueue();
        ON_LANE.set(Boolean.TRUE);
        try {
            OutboundQueue.batched(() -> {
                taken.add(first);
                int deliveries = Math.max(1, deliverShare(first));
                while (taken.size() < LANE_BATCH && deliveries < LANE_BATCH_DELIVERIES) {
                    Runnable next = queue.poll();
                    if (next == null) break;
                    if (next instanceof Part p) {
                        taken.add(p);
                        deliveries += Math.max(1, deliverShare(p));
                    } else {
                        next.run();
                    }
                }
            });
        } finally {
            ON_LANE.remove();
            for (Part p : taken) p.message.written();
        }
    }

    /** The lane a connection's channel messages are written from. */
    private int laneOf(Client c) { return lanes.size() == 1 ? 0 : Math.floorMod(c.id().hashCode(), lanes.size()); }

    /**
     * A lane's share of a message: to the local connections it reaches that belong to the lane. Channel messages, and
     * every message from another instance (its users' and clients' too, so that what Redis delivered in one order
     * reaches each connection in that order).
     */
    private int deliverShare(Part p) { return deliverTo(p.message.d, p.lane); }

    /** To this instance's connections only: how many it reached. */
    private int deliverLocally(Delivery d) { return deliverTo(d, ALL_LANES); }

    /** To this instance's connections that belong to {@code lane} (or to all of them): how many it reached. */
    private int deliverTo(Delivery d, int lane) {
        Topic topic = d.topic();
        int reached = 0;
        if (topic.kind() == Topic.Kind.CHANNEL) {
            String channel = topic.id();
            if (NodeChannels.isNodeChannel(channel)) {
                // through NodeChannels' own lane, which checks each member's access; once, by the first lane
                if (lane <= 0) nodes.deliver(d);
                return 1;
            }
            for (Membership m : hub.members(channel)) {
                if ((lane != ALL_LANES && laneOf(m.client) != lane) || isSubject(d, m.client)) continue;
                m.offer(d);
                reached++;
            }
        } else {
            for (Client c : hub.local(topic)) {
                if (lane != ALL_LANES && laneOf(c) != lane) continue;
                c.send(d);
                reached++;
            }
        }
        metrics.messagesOut(SocketMetrics.targetOf(d), reached);
        return reached;
    }

    /** A presence event is not sent to the connection it is about. */
    static boolean isSubject(Delivery d, Client c) {
        return d.kind() == Delivery.Kind.EVENT && d.sender() != null && d.sender().clientId().equals(c.id());
    }
}
