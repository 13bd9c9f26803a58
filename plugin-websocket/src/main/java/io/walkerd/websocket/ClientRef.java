package io.walkerd.websocket;

/**
 * A connection and its user, as protocol 2 names them: the {@code sender} of a delivery that another client's event
 * caused, and an entry of a channel's presence.
 */
record ClientRef(String clientId, String rootId) {
    static ClientRef of(Client c) { return new ClientRef(c.id(), c.rootRef()); }
}
