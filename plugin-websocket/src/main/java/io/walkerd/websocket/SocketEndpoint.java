package io.walkerd.websocket;

import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import io.javalin.http.ServiceUnavailableResponse;
import io.javalin.websocket.WsBinaryMessageContext;
import io.javalin.websocket.WsCloseContext;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsConnectContext;
import io.javalin.websocket.WsContext;
import io.javalin.websocket.WsErrorContext;
import io.javalin.websocket.WsMessageContext;
import io.walkerd.auth.Principal;
import io.walkerd.auth.TokenService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Where websocket frames enter: the Javalin handlers of {@code /websocket}. They run on Jetty's threads, so they only
 * create the {@link Client} and queue work for it; authentication and events run on the plugin's workers.
 */
final class SocketEndpoint {
    private static final Logger log = LoggerFactory.getLogger(SocketEndpoint.class);
    private static final String CLIENT = "walkerd.websocket.client";

    private final SocketSettings settings;
    private final Hub hub;
    private final EventHandler events;
    private final Replies replies;
    private final Executor workers;
    private final ScheduledExecutorService timer;
    private final Protections protections;
    private final NodeChannels nodes;
    private final TokenService tokens;
    private final SocketMetrics metrics;
    /** Every open socket, registered in the hub or not yet (still authenticating). */
    private final Set<Client> open = ConcurrentHashMap.newKeySet();
    private volatile boolean accepting = true;

    SocketEndpoint(SocketSettings settings, Hub hub, EventHandler events, Replies replies, Executor workers,
                   ScheduledExecutorService timer, Protections protections, NodeChannels nodes, TokenService tokens,
                   SocketMetrics metrics) {
        this.settings = settings;
        this.hub = hub;
        this.events = events;
        this.replies = replies;
        this.workers = workers;
        this.timer = timer;
        this.protections = protections;
        this.nodes = nodes;
        this.tokens = tokens;
        this.metrics = metrics;
    }

    void configure(WsConfig ws) {
        ws.onConnect(this::connected);
        ws.onMessage(this::message);
        ws.onBinaryMessage(this::binary);
        ws.onClose(this::closed);
        ws.onError(this::failed);
    }

    /**
     * Runs before the HTTP upgrade: a stopping server answers 503 instead of opening a socket; an unknown protocol
     * version 400; the upgrade checks (origin, connection limits, private channels) 403 or 429; a node channel in
     * {@code ?channel_id=} that the caller cannot READ 403.
     */
    void beforeUpgrade(Context ctx) {
        if (!accepting) throw new ServiceUnavailableResponse("The server is shutting down");
        if (version(ctx.queryParam("v")) < 0) throw new BadRequestResponse("Unsupported protocol version: v must be 1 or 2");
        protections.upgrades.check(ctx);
        String channel = ctx.queryParam("channel_id");
        if (NodeChannels.isNodeChannel(channel)) {
            String authorization = ctx.header("Authorization");
            Principal who = authorization == null || authorization.isBlank() ? Principal.PUBLIC
                    : tokens.authenticate(authorization).orElse(Principal.PUBLIC);
            String why = nodes.denial(who, channel);
            if (why != null) throw new ForbiddenResponse(why);
        }
    }

    /** 1 (jac-cloud's protocol) without {@code v}; -1 for a version this server does not speak. */
    static int version(String v) {
        if (v == null || v.isEmpty() || v.equals("1")) return 1;
        return v.equals("2") ? 2 : -1;
    }

    void refuseNewConnections() { accepting = false; }

    boolean accepting() { return accepting; }

    Set<Client> open() { return open; }

    private void connected(WsConnectContext ctx) {
        if (!accepting) {
            ctx.closeSession(CloseCodes.GOING_AWAY, "The server is shutting down");
            return;
        }
        String channel = ctx.queryParam("channel_id");
        if (channel == null || channel.isEmpty()) channel = ClientIds.next();
        Client c = new Client(ClientIds.next(), channel, Math.max(1, version(ctx.queryParam("v"))), Principal.PUBLIC,
                ctx.session, settings, workers, timer, this::gone, metrics);
        ctx.attribute(CLIENT, c);
        open.add(c);
        metrics.connected();
        if (!protections.upgrades.admit(c)) return; // another upgrade took the last slot meanwhile: closed
        // Jetty's upgrade request reads headers case-insensitively (browsers' libraries send "authorization")
        String authorization = ctx.session.getUpgradeRequest().getHeader("Authorization");
        c.submit(() -> events.connect(c, authorization), false);
    }

    private void message(WsMessageContext ctx) {
        Client c = client(ctx);
        if (c == null) return;
        events.received(c, ctx.message());
    }

    private void binary(WsBinaryMessageContext ctx) {
        Client c = client(ctx);
        if (c == null) return;
        metrics.eventIn(SocketMetrics.BINARY);
        c.submit(() -> c.send(replies.invalid(List.of(Replies.Problem.of("binary_frame", null,
                "Binary frames are not supported; send JSON text frames")))), true);
    }

    private void closed(WsCloseContext ctx) {
        Client c = client(ctx);
        if (c != null) c.ended(ctx.status(), ctx.reason());
    }

    private void failed(WsErrorContext ctx) {
        Client c = client(ctx);
        Throwable error = ctx.error();
        if (c == null) {
            log.warn("websocket error before the client was set up", error);
            return;
        }
        log.debug("client {}: websocket error", c.id(), error);
        c.ended(-1, error.toString()); // Jetty closes the session after an error
    }

    private void gone(Client c) {
        hub.remove(c);
        open.remove(c);
        protections.ended(c);
    }

    private static Client client(WsContext ctx) { return ctx.attribute(CLIENT); }
}
