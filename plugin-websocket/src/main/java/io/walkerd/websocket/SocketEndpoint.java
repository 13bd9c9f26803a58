package io.walkerd.websocket;

import io.walkerd.auth.TokenService;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.OpCode;
import org.eclipse.jetty.websocket.core.messages.StringMessageSink;
import org.eclipse.jetty.websocket.core.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.core.server.ServerUpgradeResponse;
import org.eclipse.jetty.websocket.core.server.WebSocketNegotiator;
import org.eclipse.jetty.websocket.core.util.MethodHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Where websocket frames enter: the upgrade of {@code /websocket} (Jetty core's {@code WebSocketUpgradeHandler}, in
 * front of Javalin's servlet: an upgrade builds no servlet request, HTTP session or per-socket context) and one
 * {@link Endpoint} per socket, whose callbacks run on Jetty's threads. They only create the {@link Client} and hand
 * it work; what may block (a token check, a walker) runs on the plugin's workers.
 */
final class SocketEndpoint {
    private static final Logger log = LoggerFactory.getLogger(SocketEndpoint.class);

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

    /**
     * Jetty's answer to an upgrade request: an {@link Endpoint}, or null once it answered with an HTTP status. A
     * stopping server answers 503; an unknown protocol version 400; the upgrade checks (origin, connection limits,
     * private channels) 403 or 429; a node channel in {@code ?channel_id=} that the caller cannot READ 403.
     */
    /** The negotiator of {@code /websocket}: {@link #upgrade} for every upgrade request. */
    WebSocketNegotiator negotiator() {
        return new WebSocketNegotiator.AbstractNegotiator() {
            @Override
            public FrameHandler negotiate(ServerUpgradeRequest request, ServerUpgradeResponse response, org.eclipse.jetty.util.Callback callback) {
                return upgrade(request, response, callback);
            }
        };
    }

    FrameHandler upgrade(ServerUpgradeRequest request, ServerUpgradeResponse response, org.eclipse.jetty.util.Callback callback) {
        Fields query = Request.extractQueryParameters(request);
        HttpFields headers = request.getHeaders();
        UpgradeRequest r = new UpgradeRequest(headers.get(HttpHeader.ORIGIN), headers.get(HttpHeader.AUTHORIZATION),
                query.getValue("channel_id"), query.getValue("v"), Request.getRemoteAddr(request),
                headers.getValuesList(HttpHeader.X_FORWARDED_FOR));
        try {
            if (!accepting) throw new UpgradeRequest.Refused(503, "The server is shutting down");
            int version = version(r.version());
            if (version < 0) throw new UpgradeRequest.Refused(400, "Unsupported protocol version: v must be 1 or 2");
            String address = protections.upgrades.check(r);
            if (NodeChannels.isNodeChannel(r.channelId())) {
                String why = nodes.denial(r.principal(tokens), r.channelId());
                if (why != null) throw new UpgradeRequest.Refused(403, why);
            }
            return new Endpoint(r.channelId(), version, address, r.authorization());
        } catch (UpgradeRequest.Refused refused) {
            response.setStatus(refused.status);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            StringBuilder body = new StringBuilder("{\"error\":");
            Envelope.quote(body, refused.getMessage());
            response.write(true, ByteBuffer.wrap(body.append('}').toString().getBytes(StandardCharsets.UTF_8)), callback);
            return null;
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

    /**
     * One socket, as Jetty core's frame handler: text messages (fragmented or not) are put together by Jetty's
     * {@link StringMessageSink} (which enforces the largest message size), pings are answered, binary messages are
     * refused with an error frame. Every callback runs on Jetty's threads; the next frame is read once this one is
     * handled (demand).
     */
    final class Endpoint implements FrameHandler {
        private static final MethodHandle TEXT;

        static {
            try {
                TEXT = MethodHandles.lookup().findVirtual(Endpoint.class, "text", MethodType.methodType(void.class, String.class));
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final String channel;
        private final int version;
        private final String address;
        /** Kept until the connection's first event has read it. */
        private String authorization;
        private CoreSession session;
        private Client client;
        private StringMessageSink texts;
        /** The opcode of the message whose continuation frames are arriving; 0 between messages. */
        private byte continuing;

        Endpoint(String channel, int version, String address, String authorization) {
            this.channel = channel;
            this.version = version;
            this.address = address;
            this.authorization = authorization;
        }

        @Override
        public void onOpen(CoreSession session, org.eclipse.jetty.util.Callback callback) {
            this.session = session;
            if (!accepting) {
                callback.succeeded();
                session.close(CloseCodes.GOING_AWAY, "The server is shutting down", org.eclipse.jetty.util.Callback.NOOP);
                return;
            }
            texts = new StringMessageSink(session, MethodHolder.from(TEXT.bindTo(this)), true);
            String ch = channel == null || channel.isEmpty() ? ClientIds.next() : channel;
            Client c = new Client(ClientIds.next(), ch, version, io.walkerd.auth.Principal.PUBLIC, session, settings, workers, timer,
                    SocketEndpoint.this::gone, metrics);
            client = c;
            open.add(c);
            metrics.connected();
            callback.succeeded();
            if (!protections.upgrades.admit(c, address)) return; // another upgrade took the last slot meanwhile: closed
            String auth = authorization;
            authorization = null;
            // without a token nothing blocks (no store read): the connection event is sent from here
            c.submit(() -> events.connect(c, auth), auth == null && events.connectsWithoutWaiting());
            session.demand();
        }

        /** A whole text message (called by the message sink, which then asks for the next frame). */
        void text(String message) {
            Client c = client;
            if (c != null) events.received(c, message);
        }

        @Override
        public void onFrame(Frame frame, org.eclipse.jetty.util.Callback callback) {
            switch (frame.getOpCode()) {
                case OpCode.TEXT -> {
                    continuing = frame.isFin() ? 0 : OpCode.TEXT;
                    texts.accept(frame, callback);
                }
                case OpCode.BINARY -> {
                    continuing = frame.isFin() ? 0 : OpCode.BINARY;
                    if (frame.isFin()) binary();
                    next(callback);
                }
                case OpCode.CONTINUATION -> {
                    byte of = continuing;
                    if (frame.isFin()) continuing = 0;
                    if (of == OpCode.TEXT) {
                        texts.accept(frame, callback);
                    } else {
                        if (frame.isFin()) binary();
                        next(callback);
                    }
                }
                case OpCode.PING -> {
                    ByteBuffer payload = frame.hasPayload() ? org.eclipse.jetty.util.BufferUtil.copy(frame.getPayload()) : null;
                    session.sendFrame(new Frame(OpCode.PONG).setPayload(payload), org.eclipse.jetty.util.Callback.NOOP, false);
                    next(callback);
                }
                default -> next(callback); // PONG (heard: the heartbeat counts frames), CLOSE (Jetty answers it)
            }
        }

        private void next(org.eclipse.jetty.util.Callback callback) {
            callback.succeeded();
            session.demand();
        }

        private void binary() {
            Client c = client;
            if (c == null) return;
            metrics.eventIn(SocketMetrics.BINARY);
            c.submit(() -> c.send(replies.invalid(List.of(Replies.Problem.of("binary_frame", null,
                    "Binary frames are not supported; send JSON text frames")))), true);
        }

        @Override
        public void onError(Throwable error, org.eclipse.jetty.util.Callback callback) {
            Client c = client;
            if (c == null) log.debug("websocket error before the client was set up", error);
            else {
                log.debug("client {}: websocket error", c.id(), error);
                c.ended(-1, error.toString()); // Jetty closes the session after an error
            }
            if (texts != null) texts.fail(error);
            callback.succeeded();
        }

        @Override
        public void onClosed(CloseStatus status, org.eclipse.jetty.util.Callback callback) {
            Client c = client;
            if (c != null) c.ended(status.getCode(), status.getReason());
            if (texts != null) texts.fail(new java.nio.channels.ClosedChannelException());
            callback.succeeded();
        }
    }

    private void gone(Client c) {
        hub.remove(c);
        open.remove(c);
        protections.ended(c);
    }
}
