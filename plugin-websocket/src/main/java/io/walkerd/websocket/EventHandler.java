package io.walkerd.websocket;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.walkerd.auth.Principal;
import io.walkerd.auth.TokenService;
import io.walkerd.http.ErrorReplies;
import io.walkerd.server.LogSafe;
import io.walkerd.walker.WalkerCall;
import io.walkerd.walker.WalkerResponse;
import io.walkerd.walker.WalkerRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * What a client's frames mean: the six event types of protocol.md section 5 and protocol 2's channel events
 * ({@link ChannelEvents}), their validation, and the replies, each with the event's {@code request_id} if it had
 * one. The events of one connection are handled one at a time, in the order they arrived, so replies come in the
 * order events were sent; events of different connections run in parallel.
 */
final class EventHandler {
    private static final Logger log = LoggerFactory.getLogger(EventHandler.class);
    private static final Duration SUBSCRIBE_WAIT = Duration.ofSeconds(2);
    /** The event types a client may send. */
    static final List<String> TYPES = List.of("walker", "user", "channel", "client", "connection", "change_user",
            "join", "leave", "presence", "history");
    private static final String EXPECTED = "'" + String.join("', '", TYPES) + "'";

    private final WalkerRunner runner;
    private final TokenService tokens;
    private final Hub hub;
    private final Fanout fanout;
    private final Broker broker;
    private final Replies replies;
    private final ObjectMapper json;
    private final Protections protections;
    private final ChannelEvents channels;
    private final Presence presence;
    private final SocketMetrics metrics;
    private volatile boolean stopping;

    EventHandler(WalkerRunner runner, TokenService tokens, Hub hub, Fanout fanout, Broker broker, Replies replies, ObjectMapper json,
                 Protections protections, ChannelEvents channels, Presence presence, SocketMetrics metrics) {
        this.runner = runner;
        this.tokens = tokens;
        this.hub = hub;
        this.fanout = fanout;
        this.broker = broker;
        this.replies = replies;
        this.json = json;
        this.protections = protections;
        this.channels = channels;
        this.presence = presence;
        this.metrics = metrics;
    }

    /** Whether {@link #connect} of a connection without a token never blocks (and so may run on Jetty's thread). */
    boolean connectsWithoutWaiting() { return broker.subscribesAtOnce(); }

    /** From now on, events that have not started are refused (graceful shutdown). */
    void stop() { stopping = true; }

    /**
     * Authenticates a new connection, registers it and sends the connection event once the connection can be
     * reached from every instance.
     */
    void connect(Client c, String authorization) {
        if (stopping) {
            c.close(SocketMetrics.Disconnect.SHUTDOWN, CloseCodes.GOING_AWAY, "The server is shutting down");
            return;
        }
        Principal principal = authenticate(authorization);
        if (!protections.limits.moveUser(c, principal)) { // another upgrade of this user took its last slot meanwhile
            c.close(SocketMetrics.Disconnect.CONNECTION_LIMIT, CloseCodes.POLICY, "too many connections of this user (SOCKET_MAX_CONNECTIONS_PER_USER)");
            return;
        }
        c.principal(principal);
        hub.add(c);
        if (!c.registered()) return; // it closed while we were authenticating
        awaitSubscriptions(broker, c, Topic.client(c.id()), Topic.user(c.rootRef()), Topic.channel(c.channel()));
        // one line per connect at INFO would make the log the bottleneck of a reconnect storm
        log.debug("client {} connected: user {}, channel {}", c.id(), c.rootRef(), LogSafe.of(c.channel()));
        c.send(replies.connection(c));
    }

    /**
     * A text frame arrived (on a Jetty thread). Walker and change_user events touch MongoDB: they run on a worker.
     * The others never block: when nothing of this connection is queued or running they run right here, so a
     * client that floods relays is slowed by TCP rather than queued without end; otherwise they queue behind the
     * earlier events, keeping the connection's order.
     */
    void received(Client c, String text) {
        Frame frame = Frame.parse(json, text);
        metrics.eventIn(frame.type());
        switch (protections.rates.admit(c, frame.type())) {
            case PASS -> c.submit(() -> handle(c, frame), !frame.blocking());
            case DROP -> c.submit(() -> {
                metrics.rateLimited();
                refuse(c, Replies.Problem.of("rate_limited", null, "more than " + protections.rates.perSecond()
                        + " events per second (SOCKET_EVENTS_PER_SECOND): this " + frame.type() + " event was dropped"), frame.requestId());
            }, true);
            case CLOSE -> {
                log.warn("client {} ({}) closed: it kept sending events far over the rate limit", c.id(), c.rootRef());
                c.close(SocketMetrics.Disconnect.RATE_LIMITED, CloseCodes.POLICY, "too many events: the client keeps sending far more than SOCKET_EVENTS_PER_SECOND");
            }
        }
    }

    /** A frame read as JSON, or the reason it could not be; its request id when it has a valid one. */
    private record Frame(JsonNode json, String type, Replies.Problem problem, String requestId) {
        static Frame parse(ObjectMapper mapper, String text) {
            JsonNode frame;
            try {
                frame = mapper.readTree(text);
            } catch (JsonProcessingException e) {
                return new Frame(null, null, Replies.Problem.of("json_invalid", null, ErrorReplies.invalidJson(e)), null);
            }
            if (frame == null || !frame.isObject()) {
                return new Frame(null, null, Replies.Problem.of("model_type", null, "Input should be a JSON object with a 'type' field"), null);
            }
            RequestIds.Read rid = RequestIds.of(frame);
            if (rid.problem() != null) return new Frame(null, null, rid.problem(), null);
            JsonNode type = frame.get("type");
            if (type == null || type.isNull()) {
                return new Frame(null, null, Replies.Problem.of("union_tag_not_found", "type",
                        "Unable to extract tag using discriminator 'type'; expected one of " + EXPECTED), rid.id());
            }
            if (!type.isTextual() || !TYPES.contains(type.asText())) {
                return new Frame(null, null, Replies.Problem.of("union_tag_invalid", "type", "Input tag "
                        + (type.isTextual() ? "'" + type.asText() + "'" : type.toString())
                        + " found using 'type' does not match any of the expected tags: " + EXPECTED), rid.id());
            }
            return new Frame(frame, type.asText(), null, rid.id());
        }

        /**
         * Whether the event may block on the store or on Redis: then it runs on a worker. A {@code channel} event does
         * not, though it may wait (bounded, one Redis round trip) for its message to come back to local members:
         * run where it was read, that wait slows a client that floods a channel through TCP, as any relay event,
         * instead of queueing its events until it is closed for too many.
         */
        boolean blocking() {
            if (type == null) return false;
            return switch (type) {
                case "walker", "change_user", "join", "presence", "history" -> true;
                default -> false;
            };
        }
    }

    private void handle(Client c, Frame frame) {
        MDC.put("client_id", c.id());
        // a client's text: escaped, as any it puts in a log line
        if (frame.requestId() != null) MDC.put("request_id", LogSafe.of(frame.requestId()));
        try {
            String rid = frame.requestId();
            if (stopping) {
                c.send(replies.invalid(List.of(Replies.Problem.of("server_stopping", null,
                        "The server is shutting down; the event was not processed")), rid));
                return;
            }
            if (!"channel".equals(frame.type())) c.awaitEchoes();
            if (frame.problem() != null) {
                c.send(replies.invalid(List.of(frame.problem()), rid));
                return;
            }
            switch (frame.type()) {
                case "walker" -> walker(c, frame.json(), rid);
                case "user" -> relay(c, frame.json(), "root_ids", Topic::user, rid);
                case "channel" -> relay(c, frame.json(), "channel_ids", Topic::channel, rid);
                case "client" -> relay(c, frame.json(), "client_ids", Topic::client, rid);
                case "connection" -> c.send(replies.connection(c, rid));
                case "change_user" -> changeUser(c, frame.json(), rid);
                case "join" -> channels.join(c, frame.json(), rid);
                case "leave" -> channels.leave(c, frame.json(), rid);
                case "presence" -> channels.presence(c, frame.json(), rid);
                case "history" -> channels.history(c, frame.json(), rid);
                default -> throw new IllegalStateException("unhandled event type " + frame.type());
            }
        } catch (RuntimeException e) {
            String id = ErrorReplies.logged(log, "client " + c.id() + ": " + frame.type() + " event failed", e);
            c.send(replies.invalid(List.of(Replies.Problem.of("server_error", null, "The event failed on the server (error id " + id + ")")),
                    frame.requestId()));
        } finally {
            MDC.remove("client_id");
            MDC.remove("request_id");
        }
    }

    // ---- walker --------------------------------------------------------------------------------------------

    private void walker(Client c, JsonNode frame, String rid) {
        List<Replies.Problem> problems = new ArrayList<>();
        String name = requiredText(frame, "walker", problems);
        JsonNode context = frame.get("context");
        if (context == null || context.isNull()) context = json.createObjectNode();
        else if (!context.isObject()) problems.add(Replies.Problem.of("dict_type", "context", "Input should be a valid dictionary"));
        JsonNode node = frame.get("node");
        if (node != null && !node.isNull() && !node.isTextual()) problems.add(Replies.Problem.of("string_type", "node", "Input should be a valid string"));
        JsonNode response = frame.get("response");
        if (response != null && !response.isNull() && !response.isBoolean()) problems.add(Replies.Problem.of("bool_type", "response", "Input should be a valid boolean"));
        if (!problems.isEmpty()) {
            c.send(replies.invalid(problems, rid));
            return;
        }
        String nodeRef = node == null || node.isNull() ? null : node.asText();
        boolean wantsResponse = response != null && response.asBoolean(false);

        MDC.put("walker", LogSafe.of(name));
        try {
            WalkerResponse r = runner.run(new WalkerCall(name, "websocket", c.principal(), nodeRef, context,
                    Map.of(), Map.of(), Map.of(Client.class, c)));
            if (!r.ok()) {
                if (r.status() >= 500) log.warn("client {}: walker {} failed: {}", c.id(), LogSafe.of(name), LogSafe.of(r.error()));
                else log.info("client {}: walker {} refused ({}): {}", c.id(), LogSafe.of(name), r.status(), LogSafe.of(r.error()));
                c.send(replies.walkerFailed(r, rid));
            } else if (wantsResponse) {
                c.send(replies.response(r.body(), rid));
            }
        } finally {
            MDC.remove("walker");
        }
    }

    // ---- user / channel / client ---------------------------------------------------------------------------

    private void relay(Client c, JsonNode frame, String idsField, Function<String, Topic> topic, String rid) {
        List<Replies.Problem> problems = new ArrayList<>();
        Set<String> ids = idList(frame, idsField, problems);
        JsonNode data = frame.get("data");
        if (data == null) problems.add(Replies.Problem.of("missing", "data", "Field required"));
        else if (!data.isObject()) problems.add(Replies.Problem.of("dict_type", "data", "Input should be a valid dictionary"));
        if ("channel_ids".equals(idsField)) {
            int i = 0;
            for (String id : ids) {
                // a node channel carries what commits do to the node, nothing a client says
                if (NodeChannels.isNodeChannel(id)) {
                    problems.add(Replies.Problem.at("node_channel", "Node channels carry only node events; clients cannot send to them", idsField, i));
                }
                i++;
            }
        }
        if (!problems.isEmpty()) {
            c.send(replies.invalid(problems, rid));
            return;
        }
        Replies.Problem refused = protections.clientEvents.refusal(c.principal(), frame.get("type").asText(), idsField, frame.get(idsField));
        if (refused != null) {
            refuse(c, refused, rid);
            return;
        }
        Set<Topic> topics = new LinkedHashSet<>(); // "n::<hex>" and "<hex>" are one user: reach it once
        for (String id : ids) topics.add(topic.apply(id));
        String message = replies.write(data);
        ClientRef sender = ClientRef.of(c);
        List<CompletableFuture<Void>> delivered = new ArrayList<>();
        for (Topic t : topics) delivered.add(fanout.deliver(Delivery.message(t, message, sender)));
        // what this connection causes next must not overtake a message on its way back from Redis to local members;
        // its next channel messages cannot (Redis numbers and relays them in order), so only other events wait
        c.echoes(delivered);
    }

    private void refuse(Client c, Replies.Problem problem, String rid) { c.send(replies.invalid(List.of(problem), rid)); }

    static Set<String> idList(JsonNode frame, String field, List<Replies.Problem> problems) {
        JsonNode ids = frame.get(field);
        Set<String> out = new LinkedHashSet<>();
        if (ids == null || ids.isNull()) {
            problems.add(Replies.Problem.of("missing", field, "Field required"));
        } else if (!ids.isArray()) {
            problems.add(Replies.Problem.of("list_type", field, "Input should be a valid list"));
        } else if (ids.isEmpty()) {
            problems.add(Replies.Problem.of("too_short", field, "List should have at least 1 item after validation, not 0"));
        } else {
            for (int i = 0; i < ids.size(); i++) {
                JsonNode id = ids.get(i);
                if (id.isTextual() && !id.asText().isEmpty()) out.add(id.asText());
                else problems.add(new Replies.Problem("string_type", List.of(field, i), "Input should be a non-empty string"));
            }
        }
        return out;
    }

    // ---- change_user ---------------------------------------------------------------------------------------

    private void changeUser(Client c, JsonNode frame, String rid) {
        JsonNode token = frame.get("token");
        if (token != null && !token.isNull() && !token.isTextual()) {
            c.send(replies.invalid(List.of(Replies.Problem.of("string_type", "token", "Input should be a valid string")), rid));
            return;
        }
        String before = c.rootRef();
        Principal to = authenticate(token == null || token.isNull() ? null : token.asText());
        if (!protections.limits.moveUser(c, to)) {
            refuse(c, Replies.Problem.of("too_many_connections", "token", "that user has too many connections already "
                    + "(SOCKET_MAX_CONNECTIONS_PER_USER); this connection stays " + before), rid);
            return;
        }
        hub.changeUser(c, to);
        presence.userChanged(c);
        channels.userChanged(c);
        awaitSubscriptions(broker, c, Topic.user(c.rootRef()));
        log.info("client {} changed user: {} -> {}", c.id(), before, c.rootRef());
        c.send(replies.connection(c, rid));
    }

    /** The token's user; the public user for no token or a bad one (never an error, as in jac-cloud). */
    private Principal authenticate(String tokenOrHeader) {
        if (tokenOrHeader == null || tokenOrHeader.isBlank()) return Principal.PUBLIC;
        return tokens.authenticate(tokenOrHeader).orElse(Principal.PUBLIC);
    }

    /** Waits (bounded) until the broker's subscriptions for these topics are in force. */
    static void awaitSubscriptions(Broker broker, Client c, Topic... topics) {
        CompletableFuture<?>[] pending = new CompletableFuture<?>[topics.length];
        for (int i = 0; i < topics.length; i++) pending[i] = broker.subscribed(topics[i]);
        try {
            CompletableFuture.allOf(pending).get(SUBSCRIBE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            log.warn("client {}: broker subscriptions not confirmed within {} ms; going on", c.id(), SUBSCRIBE_WAIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String requiredText(JsonNode frame, String field, List<Replies.Problem> problems) {
        JsonNode v = frame.get(field);
        if (v == null || v.isNull()) problems.add(Replies.Problem.of("missing", field, "Field required"));
        else if (!v.isTextual() || v.asText().isEmpty()) problems.add(Replies.Problem.of("string_type", field, "Input should be a non-empty string"));
        else return v.asText();
        return null;
    }
}
