package io.walkerd.websocket;

import java.util.concurrent.Executor;

/**
 * Delivers a message to every connection a topic reaches: those of this instance directly (in the caller's order,
 * so a walker's notifications reach its own client before its response), those of other instances through the
 * broker. Messages from other instances arrive here and go to local connections only.
 */
final class Fanout implements Broker.Receiver {
    private final Hub hub;
    private final Broker broker;
    private final Executor relay;

    /**
     * @param relay runs the local delivery of messages from other instances, in order, off the broker's I/O thread
     *              (so that Redis keeps being read while connections are written)
     */
    Fanout(Hub hub, Broker broker, Executor relay) {
        this.hub = hub;
        this.broker = broker;
        this.relay = relay;
    }

    void deliver(Topic topic, String json) {
        boolean reachedHere = deliverLocally(topic, json);
        // a client id lives on one instance: found here, nobody else has it
        if (topic.kind() == Topic.Kind.CLIENT && reachedHere) return;
        broker.publish(topic, json);
    }

    @Override
    public void received(Topic topic, String json) { relay.execute(() -> deliverLocally(topic, json)); }

    private boolean deliverLocally(Topic topic, String json) {
        Outgoing message = null;
        for (Client c : hub.local(topic)) {
            if (message == null) message = Outgoing.of(json);
            c.send(message);
        }
        return message != null;
    }
}
