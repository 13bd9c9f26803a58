package io.walkerd.websocket;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Delivers a message to every connection a topic reaches: those of this instance, and those of other instances
 * through the broker. Messages from other instances arrive here and go to local connections only.
 *
 * <p>A channel's local members get its messages from one lane (a thread of their own, in the order they were
 * handed to it), whether they come from a client, a walker or another instance: the thread that sent a message
 * goes on at once, and the lane takes what has queued up meanwhile together, so that a member of a busy channel is
 * written once for several messages ({@link OutboundQueue#batched}). A sender that must keep its order (a walker's
 * notifications before its response, a client's channel message before what its next event causes) waits, bounded,
 * on the future {@link #deliver} returns. User and client topics are delivered on the caller's thread.
 *
 * <p>A channel that keeps history has its messages numbered by the {@link ChannelHistory} first (by Redis when
 * instances share it), which then hands them to the lane in offset order. Node channels' messages reach each member
 * only if its user can READ the node ({@link NodeChannels}).
 */
final class Fanout implements Broker.Receiver {
    private static final Logger log = LoggerFactory.getLogger(Fanout.class);
    /** Messages a lane turn takes at most, and deliveries after which it takes no more (then it writes). */
    static final int LANE_BATCH = 64, LANE_BATCH_DELIVERIES = 20_000;
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);
    /** Set on the lane's thread while it delivers: what it causes itself (a close's presence event) goes inline. */
    private static final ThreadLocal<Boolean> ON_LANE = new ThreadLocal<>();

    private final Hub hub;
    private final Broker broker;
    private final ThreadPoolExecutor lane;
    private final ChannelHistory history;
    private final NodeChannels nodes;
    private final SocketMetrics metrics;

    /**
     * @param lane    one thread with a bounded queue: delivers channel messages to local members, in order, off the
     *                threads that read clients and Redis
     * @param history the channels' histories; null when they keep none ({@code SOCKET_HISTORY_SIZE=0})
     */
    Fanout(Hub hub, Broker broker, ThreadPoolExecutor lane, ChannelHistory history, NodeChannels nodes, SocketMetrics metrics) {
        this.hub = hub;
        this.broker = broker;
        this.lane = lane;
        this.history = history;
        this.nodes = nodes;
        this.metrics = metrics;
        if (history != null) history.start(this::toLocalMembers);
    }

    /**
     * Delivers {@code d} to its topic on every instance.
     *
     * @return completes once this instance's connections have it: at once for users and clients; for a channel,
     * once the lane has delivered it (with history in Redis, once it came back from there)
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
        lane.execute(new Laned(d, true));
    }

    /**
     * A channel message for this instance's members: handed to the lane (node channels, which check each member's
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
        Laned task = new Laned(d, false);
        lane.execute(task);
        return task.done;
    }

    /** A message on its way to local connections, run by the lane. */
    private final class Laned implements Runnable {
        final Delivery d;
        /** From Redis: its publisher here, if any, is told once it is delivered ({@link ChannelHistory#delivered}). */
        final boolean relayed;
        final CompletableFuture<Void> done;

        Laned(Delivery d, boolean relayed) {
            this.d = d;
            this.relayed = relayed;
            this.done = relayed ? null : new CompletableFuture<>();
        }

        @Override
        public void run() { laneTurn(this); }
    }

    /**
     * On the lane: delivers {@code first} and the messages queued behind it (up to {@link #LANE_BATCH} messages or
     * {@link #LANE_BATCH_DELIVERIES} deliveries), in order, then writes each connection they reached once, and only
     * then tells their senders.
     */
    private void laneTurn(Laned first) {
        List<Laned> taken = new ArrayList<>();
        ON_LANE.set(Boolean.TRUE);
        try {
            OutboundQueue.batched(() -> {
                taken.add(first);
                int deliveries = Math.max(1, deliverLocally(first.d));
                while (taken.size() < LANE_BATCH && deliveries < LANE_BATCH_DELIVERIES) {
                    Runnable next = lane.getQueue().poll();
                    if (next == null) break;
                    if (next instanceof Laned l) {
                        taken.add(l);
                        deliveries += Math.max(1, deliverLocally(l.d));
                    } else {
                        next.run();
                    }
                }
            });
        } finally {
            ON_LANE.remove();
            for (Laned l : taken) {
                if (l.relayed) {
                    if (history != null) history.delivered(l.d);
                } else {
                    l.done.complete(null);
                }
            }
        }
    }

    /** To this instance's connections only: how many it reached. */
    private int deliverLocally(Delivery d) {
        Topic topic = d.topic();
        if (topic.kind() == Topic.Kind.CHANNEL) {
            String channel = topic.id();
            if (NodeChannels.isNodeChannel(channel)) {
                nodes.deliver(d);
                return 1;
            }
            int reached = 0;
            for (Membership m : hub.members(channel)) {
                if (isSubject(d, m.client)) continue;
                m.offer(d);
                reached++;
            }
            metrics.messagesOut(SocketMetrics.targetOf(d), reached);
            return reached;
        }
        int reached = 0;
        for (Client c : hub.local(topic)) {
            c.send(d);
            reached++;
        }
        metrics.messagesOut(SocketMetrics.targetOf(d), reached);
        return reached;
    }

    /** A presence event is not sent to the connection it is about. */
    static boolean isSubject(Delivery d, Client c) {
        return d.kind() == Delivery.Kind.EVENT && d.sender() != null && d.sender().clientId().equals(c.id());
    }
}
