package io.walkerd.websocket;

import java.util.concurrent.CompletableFuture;

/** The broker of a single instance (no {@code SOCKET_REDIS_HOST}): there is nobody else to reach. */
final class LocalBroker implements Broker {
    @Override
    public void start(Receiver receiver) {}

    @Override
    public void publish(Topic topic, Delivery message) {}

    @Override
    public void subscribe(Topic topic) {}

    @Override
    public CompletableFuture<Void> subscribed(Topic topic) { return CompletableFuture.completedFuture(null); }

    @Override
    public boolean subscribesAtOnce() { return true; }

    @Override
    public void unsubscribe(Topic topic) {}

    @Override
    public void close() {}
}
