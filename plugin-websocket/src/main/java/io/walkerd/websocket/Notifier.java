package io.walkerd.websocket;

import java.util.Collection;

/**
 * What walker code uses to push messages to websocket clients (jac-cloud's {@code socket.notify_*}). {@code data}
 * is any value Jackson can write (a Map, a record, a JsonNode, a node) and reaches the clients as it is. Get one
 * with {@link Socket#of}. Messages to the walker's own connection arrive before its response, in call order.
 */
public interface Notifier {

    /** To the connection that sent the walker event; does nothing when the walker was called over REST. */
    void notifySelf(Object data);

    /**
     * To every connection of these users, on every instance. Elements are {@link io.walkerd.graph.Root} nodes or root
     * ref ids ({@code "n::<hex>"} or bare hex).
     */
    void notifyUsers(Collection<?> roots, Object data);

    /** To every connection of these channels, on every instance. */
    void notifyChannels(Collection<String> channelIds, Object data);

    /** To these connections, on whichever instance holds them. */
    void notifyClients(Collection<String> clientIds, Object data);
}
