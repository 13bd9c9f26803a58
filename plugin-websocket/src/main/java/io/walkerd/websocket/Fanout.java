package io.walkerd.websocket;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Delivers a message to every connection a topic reaches: those of this instance directly (in the caller's order,
 * so a walker's notifications reach its own client before its response), those of other instances through the
 * broker. Messages from other instances arrive here and go to local connections only.
 *
 * <p>A channel that keeps history takes another path: its messages are numbered by the {@link ChannelHistory}
 * first (by Redis when instances share it), which then hands them back here for the local members, in offset order.
 * Node channels' messages reach each member only if its user can READ the node ({@link NodeChannels}).
 */
final class Fanout implements Broker.Receiver {
    private static final Logger log = LoggerFactory.getLogger(Fanout.class);

    private final Hub hub;
    private final Broker broker;
    private final Executor relay;
    private final ChannelHistory history;
    private final NodeChannels nodes;
    private final SocketMetrics metrics;

    /**
     * @param relay   runs the local delivery of messages from other instances, in order, off the broker's I/O thread
     *                (so that Redis keeps being read while connections are written)
     * @param history the channels' histories; null when they keep none ({@code SOCKET_HISTORY_SIZE=0})
     */
    Fanout(Hub hub, Broker broker, Executor relay, ChannelHistory history, NodeChannels nodes, SocketMetrics metrics) {
        this.hub = hub;
        this.broker = broker;
        this.relay = relay;
        this.history = history;
        this.nodes = nodes;
        this.metrics = metrics;
        if (history != null) history.start(this::deliverLocally);
    }

    /**
     * Delivers {@code d} to its topic on every instance.
     *
     * @return completes once this instance's connections have it: at once, unless the channel's history is in Redis
     * and local members get the message back from there (a sender that must keep its order waits on it, bounded)
     */
    CompletableFuture<Void> deliver(Delivery d) {
        Topic topic = d.topic();
        if (history != null && topic.kind() == Topic.Kind.CHANNEL && d.kind() != Delivery.Kind.EVENT) {
            return history.publish(d, d.kind() == Delivery.Kind.NODE, !hub.members(topic.id()).isEmpty());
        }
        boolean reachedHere = deliverLocally(d);
        // a client id lives on one instance: found here, nobody else has it
        if (topic.kind() == Topic.Kind.CLIENT && reachedHere) return CompletableFuture.completedFuture(null);
        broker.publish(topic, d);
        return CompletableFuture.completedFuture(null);
    }

    /** {@link #deliver}, then waits (at most {@link RedisHistory#ECHO_WAIT_MS}) until local members have it. */
    void deliverInOrder(Delivery d) { awaitLocal(deliver(d)); }

    static void awaitLocal(CompletableFuture<Void> delivered) {
        if (delivered.isDone()) return;
        try {
            delivered.get(RedisHistory.ECHO_WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            log.debug("a channel message did not come back from Redis in time; going on");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void received(Topic topic, Delivery d) {
        relay.execute(() -> {
            deliverLocally(d);
            if (history != null) history.delivered(d);
        });
    }

    /** To this instance's connections only; true when the topic reached at least one. */
    private boolean deliverLocally(Delivery d) {
        Topic topic = d.topic();
        if (topic.kind() == Topic.Kind.CHANNEL) {
            String channel = topic.id();
            if (NodeChannels.isNodeChannel(channel)) {
                nodes.deliver(d);
                return true;
            }
            boolean any = false;
            int reached = 0;
            for (Membership m : hub.members(channel)) {
                any = true;
                if (isSubject(d, m.client)) continue;
                m.offer(d);
                reached++;
            }
            metrics.messagesOut(SocketMetrics.targetOf(d), reached);
            return any;
        }
        int reached = 0;
        for (Client c : hub.local(topic)) {
            c.send(d);
            reached++;
        }
        metrics.messagesOut(SocketMetrics.targetOf(d), reached);
        return reached > 0;
    }

    /** A presence event is not sent to the connection it is about. */
    static boolean isSubject(Delivery d, Client c) {
        return d.kind() == Delivery.Kind.EVENT && d.sender() != null && d.sender().clientId().equals(c.id());
    }
}
