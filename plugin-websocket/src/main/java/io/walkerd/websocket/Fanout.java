package io.walkerd.websocket;

/**
 * Delivers a message to every connection a topic reaches: those of this instance directly (in the caller's order,
 * so a walker's notifications reach its own client before its response), those of other instances through the
 * broker. Messages from other instances arrive here and go to local connections only.
 */
final class Fanout implements Broker.Receiver {
    private final Hub hub;
    private final Broker broker;

    Fanout(Hub hub, Broker broker) {
        this.hub = hub;
        this.broker = broker;
    }

    void deliver(Topic topic, String json) {
        boolean reachedHere = deliverLocally(topic, json);
        // a client id lives on one instance: found here, nobody else has it
        if (topic.kind() == Topic.Kind.CLIENT && reachedHere) return;
        broker.publish(topic, json);
    }

    @Override
    public void received(Topic topic, String json) { deliverLocally(topic, json); }

    private boolean deliverLocally(Topic topic, String json) {
        boolean any = false;
        for (Client c : hub.local(topic)) {
            c.send(json);
            any = true;
        }
        return any;
    }
}
