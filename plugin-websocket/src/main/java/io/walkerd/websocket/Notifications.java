package io.walkerd.websocket;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.walkerd.auth.Principal;
import io.walkerd.graph.Node;
import io.walkerd.graph.Root;
import io.walkerd.walker.WalkContext;
import io.walkerd.walker.WalkerFailure;

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
    private final int maxBytes;
    private final SocketMetrics metrics;

    /** @param maxBytes the largest message a notification may be ({@code SOCKET_MAX_FRAME_BYTES}, as for clients) */
    Notifications(Fanout fanout, ObjectMapper json, int maxBytes, SocketMetrics metrics) {
        this.fanout = fanout;
        this.json = json;
        this.maxBytes = maxBytes;
        this.metrics = metrics;
    }

    /**
     * A notifier for one walker call; {@code origin} is the connection that sent the event, null over REST. Each
     * delivery marks the call irreversible: a notification cannot be taken back, so a walker whose commit then
     * conflicts is not run again.
     */
    Notifier forCall(Client origin, WalkContext call) { return new CallNotifier(origin, call); }

    private final class CallNotifier implements Notifier {
        private final Client origin;
        private final WalkContext call;

        CallNotifier(Client origin, WalkContext call) {
            this.origin = origin;
            this.call = call;
        }

        @Override
        public void notifySelf(Object data) {
            if (origin == null) return;
            String message = write(data);
            call.markIrreversible();
            origin.send(Delivery.self(message));
            metrics.messagesOut(SocketMetrics.Target.SELF, 1);
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
            call.markIrreversible();
            for (Topic t : topics) fanout.deliverInOrder(Delivery.message(t, message, null));
        }
    }

    /**
     * The message, checked against {@code SOCKET_MAX_FRAME_BYTES}: a larger one fails the walker (413) before
     * anything is sent, whether it was called over REST (whose bodies may be far larger) or over the socket.
     */
    private String write(Object data) {
        String message;
        try {
            message = json.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("notification data cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
        long bytes = utf8Bytes(message);
        if (bytes > maxBytes) {
            throw new WalkerFailure(413, "notification of " + bytes + " bytes is larger than SOCKET_MAX_FRAME_BYTES (" + maxBytes
                    + "); nothing was sent");
        }
        return message;
    }

    /** The UTF-8 size of {@code s}, counted without encoding it. */
    static long utf8Bytes(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch < 0x80) n += 1;
            else if (ch < 0x800) n += 2;
            else if (Character.isHighSurrogate(ch) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else n += 3;
        }
        return n;
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
