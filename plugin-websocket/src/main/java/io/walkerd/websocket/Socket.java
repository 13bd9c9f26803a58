package io.walkerd.websocket;

import io.walkerd.walker.WalkContext;
import io.walkerd.walker.Walker;

/** The entry point for walker code: {@code Socket.of(this).notifyUsers(List.of(root()), data)}. */
public final class Socket {
    private Socket() {}

    /** The notifier for the walker's current call (websocket- or REST-called); the walker must be running. */
    public static Notifier of(Walker walker) {
        WalkContext call = walker.context();
        Notifications notifications = call.service(Notifications.class);
        if (notifications == null) {
            throw new IllegalStateException("the websocket plugin is not running in this server");
        }
        return notifications.forCall(call.attribute(Client.class), call);
    }
}
