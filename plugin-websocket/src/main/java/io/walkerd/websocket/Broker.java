package io.walkerd.websocket;

import java.util.concurrent.CompletableFuture;

/**
 * Moves messages between server instances; it never touches local connections. An instance delivers to its own
 * connections itself and publishes through the broker for the others; what the broker receives from other
 * instances it hands to its {@link Receiver}. Subscriptions are per topic, taken by the {@link Hub} while a local
 * connection needs them.
 */
interface Broker extends AutoCloseable {

    /** Gets the messages other instances published to topics this instance subscribed to. */
    interface Receiver {
        void received(Topic topic, Delivery message);
    }

    void start(Receiver receiver);

    /** Sends a message to the other instances; never blocks. */
    void publish(Topic topic, Delivery message);

    /** Starts receiving the topic's messages; never blocks. */
    void subscribe(Topic topic);

    /**
     * Completes once the topic's subscription is in force (at once when nothing is pending or the broker is
     * disconnected), so that a connection is told it is connected only when it is reachable from everywhere.
     */
    CompletableFuture<Void> subscribed(Topic topic);

    /** Whether every subscription is in force as soon as it is taken (one instance: nothing to wait for). */
    default boolean subscribesAtOnce() { return false; }

    /** Stops receiving the topic's messages; never blocks. */
    void unsubscribe(Topic topic);

    @Override
    void close();
}
