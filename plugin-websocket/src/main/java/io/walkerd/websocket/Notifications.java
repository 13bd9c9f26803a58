package io.walkerd.websocket;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.walkerd.auth.Principal;
import io.walkerd.graph.Node;
import io.walkerd.graph.Root;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Function;

/**
 * The server-side half of {@link Notifier}: turns walker notifications into deliveries, once per target, without a
 * sender (the server speaks). Each waits until the connections of this instance have it (a channel message may go
 * through Redis first), so that a walker's notifications and its response keep the order it made them.
 */
final class Notifications {
    private final Fanout fanout;
    private final ObjectMapper json;

    Notifications(Fanout fanout, ObjectMapper json) {
        this.fanout = fanout;
        this.json = json;
    }

    /** A notifier for one walker call; {@code origin} is the connection that sent the event, null over REST. */
    Notifier forCall(Client origin) { return new CallNotifier(origin); }

    private final class CallNotifier implements Notifier {
        private final Client origin;

        CallNotifier(Client origin) { this.origin = origin; }

        @Override
        public void notifySelf(Object data) {
            if (origin != null) origin.send(Delivery.self(write(data)));
        }

        @Override
        public void notifyUsers(Collection<?> roots, Object data) {
            deliver(roots, data, r -> Topic.user(rootRef(r)));
        }

        @Override
        public void notifyChannels(Collection<String> channelIds, Object data) {
            deliver(channelIds, data, id -> Topic.channel(text(id, "channel id")));
        }

        @Override
        public void notifyClients(Collection<String> clientIds, Object data) {
            deliver(clientIds, data, id -> Topic.client(text(id, "client id")));
        }

        private <T> void deliver(Collection<T> targets, Object data, Function<T, Topic> topic) {
            if (targets == null || targets.isEmpty()) return;
            Set<Topic> topics = new LinkedHashSet<>();
            for (T t : targets) topics.add(topic.apply(t));
            String message = write(data);
            for (Topic t : topics) fanout.deliverInOrder(Delivery.message(t, message, null));
        }
    }

    private String write(Object data) {
        try {
            return json.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("notification data cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static String rootRef(Object target) {
        if (target instanceof Root root) return root.id();
        if (target instanceof Principal p) return p.rootRef();
        if (target instanceof CharSequence s) return text(s.toString(), "root id");
        if (target instanceof Node n) throw new IllegalArgumentException("notifyUsers takes root nodes, not " + n.typeName() + " " + n.id());
        throw new IllegalArgumentException("notifyUsers takes root nodes or root ids, not " + (target == null ? "null" : target.getClass().getName()));
    }

    private static String text(String id, String what) {
        if (id == null || id.isBlank()) throw new IllegalArgumentException("a " + what + " must not be empty");
        return id;
    }
}
