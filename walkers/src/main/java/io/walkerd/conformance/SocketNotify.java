package io.walkerd.conformance;

import io.walkerd.graph.Root;
import io.walkerd.walker.OnEntry;
import io.walkerd.walker.Required;
import io.walkerd.walker.Specs;
import io.walkerd.walker.Walker;
import io.walkerd.websocket.Socket;

import java.util.Map;

/** The walker of jac-cloud's websocket tests. */
public final class SocketNotify {
    private SocketNotify() {}

    /**
     * {@code websocket}: callable only as a websocket event (methods {@code ["websocket"]}), with a token; notifies
     * the calling connection with {@code {"testing": val}}.
     */
    @Specs(name = "websocket", methods = {"websocket"}, tags = {"conformance"}, summary = "Notifies its own connection with {\"testing\": val}")
    public static class Websocket extends Walker {
        @Required public int val;

        @OnEntry
        void enter(Root here) { Socket.of(this).notifySelf(Map.of("testing", val)); }
    }
}
