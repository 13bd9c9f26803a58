package io.walkerd.websocket;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The numbered, bounded history of every channel: each message gets the next offset of its channel before any member
 * sees it, and the last {@code SOCKET_HISTORY_SIZE} messages are kept for {@code SOCKET_HISTORY_TTL_SECONDS}. An epoch
 * names one continuous history; it changes when that history is lost, so that a client never takes a new history
 * for the continuation of the one it knew. {@link MemoryHistory} keeps it for one instance, {@link RedisHistory} in
 * Redis Streams for all instances.
 */
interface ChannelHistory extends AutoCloseable {

    /** The history of {@code channel} after a position, or its latest messages. */
    record Page(Position top, boolean recovered, List<Delivery> messages) {}

    /** Where numbered messages go to reach this instance's members, in offset order. */
    void start(Function<Delivery, CompletableFuture<Void>> local);

    /**
     * Numbers and keeps a channel message, then has it delivered to this instance's members (through the consumer of
     * {@link #start}, in offset order) and to the other instances'.
     *
     * @param onlyIfWatched keep and deliver it only if the channel has a history or members somewhere (node events,
     *                      which every commit produces, need no history for nodes nobody watches)
     * @param here          whether members of this instance need it: then the result completes once they have it
     * @return completes once this instance's members have it (or it is known that they need not wait)
     */
    CompletableFuture<Void> publish(Delivery message, boolean onlyIfWatched, boolean here);

    /** A message this instance published came back to it and reached its members (see {@code here} above). */
    default void delivered(Delivery message) {}

    /** The channel's position now; the channel gets an epoch if it had none. */
    CompletableFuture<Position> position(String channel);

    /**
     * The messages after {@code since}, at most {@code limit}; {@code recovered} is false, and there are no messages,
     * when the history no longer holds the first one after {@code since}, or its epoch is not {@code since}'s. With
     * {@code since} null: the latest {@code limit} messages, {@code recovered} true.
     */
    CompletableFuture<Page> since(String channel, Position since, int limit);

    @Override
    default void close() {}

    /** A fresh epoch: {@code e-} and 12 random hex digits. */
    static String newEpoch() {
        byte[] b = new byte[6];
        Epochs.RANDOM.nextBytes(b);
        return "e-" + HexFormat.of().formatHex(b);
    }

    final class Epochs {
        private static final SecureRandom RANDOM = new SecureRandom();

        private Epochs() {}
    }
}
